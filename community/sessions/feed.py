"""The sessions in a person's calendar feed (registered with ``learning.calendar``)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from community.models import SessionSignup, SignupStatus
from community.sessions.ics import session_event
from learning.calendar import CalendarEvent
from learning.models import User


def session_events_for(user: User, today: date) -> list[CalendarEvent]:
    """Every session, from today on, at which the person has a place (one query). A cancelled
    session, or one they withdrew from, is left out, so a calendar that reads the feed drops
    it."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    signups = (
        SessionSignup.objects.filter(
            user_id=user.pk,
            status=SignupStatus.PLACE,
            session__cancelled_at=None,
            session__starts_at__gte=start,
        )
        .select_related("session__space")
        .order_by("session__starts_at", "session_id")
    )
    return [session_event(s.session) for s in signups]
