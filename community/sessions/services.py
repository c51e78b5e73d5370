"""Reflective sessions, the facilitator's side: scheduling, editing and rescheduling,
cancelling, and attendance. Places and the waiting list are in ``places.py``.

A change to the time, title or joining details raises the session's ``sequence`` and sends
everyone with a place an updated invitation (the same calendar event, replaced); cancelling
sends the cancellation, which removes it."""

from __future__ import annotations

import uuid
from calendar import monthrange
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import ReflectiveSession, SessionSignup, SignupStatus, Space
from community.sessions.ics import SESSION_ICS, session_link
from community.sessions.places import (
    places_taken,
    session_locked,
    session_places_fill,
    when_text,
)
from community.shared.services import require_facilitator
from learning import permissions
from learning.models import User
from learning.notify import notify
from learning.sanitise import safe_url, sanitise_text
from learning.services import audit_record
from learning.xapi import Activity, record_learning_event, xapi_enabled

DURATION_MAX = 8 * 60
CAPACITY_MAX = 500
# What a calendar shows: a change to any of these is an updated invitation.
CALENDAR_FIELDS = ("title", "starts_at", "duration_minutes", "joining_details", "meeting_url")


def _cleaned(
    *,
    title: str,
    starts_at: datetime | None,
    duration_minutes: int | None,
    joining_details: str,
    meeting_url: str,
    capacity: int | None,
) -> dict:
    """The session's fields, checked and tidied, or a ValidationError naming each problem."""
    errors = {}
    title = sanitise_text(title or "").strip()
    joining_details = sanitise_text(joining_details or "").strip()
    meeting_url = (meeting_url or "").strip()
    if not title:
        errors["title"] = _("Enter a title for the session.")
    if starts_at is None:
        errors["starts_at"] = _("Enter the date and time the session starts.")
    elif starts_at <= timezone.now():
        errors["starts_at"] = _("The session must start in the future.")
    if not duration_minutes or not 1 <= duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("Enter a length from 1 to %(n)s minutes.") % {
            "n": DURATION_MAX
        }
    if not capacity or not 1 <= capacity <= CAPACITY_MAX:
        errors["capacity"] = _("Enter how many people can join, from 1 to %(n)s.") % {
            "n": CAPACITY_MAX
        }
    if not joining_details:
        errors["joining_details"] = _("Say how people join the session.")
    if meeting_url and (urlsplit(meeting_url).scheme != "https" or not safe_url(meeting_url)):
        errors["meeting_url"] = _(
            "Enter the meeting link as a web address starting https://, or leave it empty."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "title": title[:200],
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "joining_details": joining_details[:1000],
        "meeting_url": meeting_url[:500],
        "capacity": capacity,
    }


ONCE, WEEKLY, MONTHLY = "", "weekly", "monthly"
SERIES_MAX = 12
ONE, SERIES = "one", "series"


def occurrence(first: datetime, repeat: str, n: int) -> datetime:
    """The ``n``th session after ``first`` (0 is ``first``) at the same local time: a week
    later each time, or the same date each month (the month's last day when it is shorter)."""
    local = timezone.localtime(first).replace(tzinfo=None)
    if repeat == WEEKLY:
        naive = local + timedelta(weeks=n)
    else:
        month0 = local.month - 1 + n
        year, month = local.year + month0 // 12, month0 % 12 + 1
        naive = local.replace(
            year=year, month=month, day=min(local.day, monthrange(year, month)[1])
        )
    return timezone.make_aware(naive)


@transaction.atomic
def session_create(
    *,
    actor: User,
    space: Space,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    joining_details: str,
    capacity: int,
    meeting_url: str = "",
    repeat: str = ONCE,
    occurrences: int | None = None,
) -> ReflectiveSession:
    """Schedule a session, or a weekly or monthly series of them (returns the first)."""
    require_facilitator(actor, space)
    fields = _cleaned(
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        joining_details=joining_details,
        meeting_url=meeting_url,
        capacity=capacity,
    )
    repeat = repeat or ONCE
    if repeat not in (ONCE, WEEKLY, MONTHLY):
        raise ValidationError({"repeat": _("Choose how often the session repeats.")})
    count = 1
    if repeat != ONCE:
        if not occurrences or not 2 <= occurrences <= SERIES_MAX:
            raise ValidationError(
                {
                    "occurrences": _("Enter a number of sessions from 2 to %(n)s.")
                    % {"n": SERIES_MAX}
                }
            )
        count = occurrences
    series = uuid.uuid4() if count > 1 else None
    sessions = [
        ReflectiveSession.objects.create(
            space=space,
            created_by=actor,
            series=series,
            **{**fields, "starts_at": occurrence(fields["starts_at"], repeat, n)},
        )
        for n in range(count)
    ]
    audit_record(
        action="community.session_created",
        actor=actor,
        target=sessions[0],
        data={"space_id": space.pk, "session_ids": [x.pk for x in sessions], "repeat": repeat},
    )
    return sessions[0]


def _holders(session: ReflectiveSession, *statuses: str) -> list[SessionSignup]:
    return list(
        SessionSignup.objects.filter(session=session, status__in=statuses)
        .select_related("user")
        .order_by("pk")
    )


@transaction.atomic
def session_change(
    *,
    actor: User,
    session: ReflectiveSession,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    joining_details: str,
    capacity: int,
    meeting_url: str = "",
    scope: str = ONE,
) -> ReflectiveSession:
    """Edit or reschedule a session before it starts, or (``scope="series"``) it and every
    later session of its series, each moved by the same amount. Everyone with a place gets the
    updated invitation when what a calendar shows changes; more places go to those waiting."""
    session = session_locked(session)
    require_facilitator(actor, session.space)
    if not permissions.can_change_session(actor, session):
        raise ValidationError(_("This session has started or been cancelled, so it cannot change."))
    fields = _cleaned(
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        joining_details=joining_details,
        meeting_url=meeting_url,
        capacity=capacity,
    )
    targets = [session]
    if (scope or ONE) == SERIES and session.in_series:
        targets += list(
            ReflectiveSession.objects.select_for_update()
            .select_related("space")
            .filter(series=session.series, starts_at__gt=session.starts_at, cancelled_at=None)
            .order_by("starts_at", "pk")
        )
    shift = fields["starts_at"] - session.starts_at
    for target in targets:
        _change_one(
            actor=actor,
            session=target,
            fields={**fields, "starts_at": target.starts_at + shift},
        )
    return session


def _change_one(*, actor: User, session: ReflectiveSession, fields: dict) -> None:
    """One session's change, its audit row, its notices and its places (the row is locked)."""
    taken = places_taken(session)
    if fields["capacity"] < taken:
        raise ValidationError(
            {
                "capacity": _(
                    "%(n)s people have a place. Enter at least %(n)s, or ask people to withdraw."
                )
                % {"n": taken}
            }
        )
    changed = [name for name, value in fields.items() if getattr(session, name) != value]
    if not changed:
        return
    moved = "starts_at" in changed
    for name in changed:
        setattr(session, name, fields[name])
    calendar_changed = any(name in CALENDAR_FIELDS for name in changed)
    if calendar_changed:
        session.sequence += 1
    session.save()
    if moved:
        # A reminder already sent was for the old day.
        SessionSignup.objects.filter(session=session).update(reminder_sent_at=None)
    audit_record(
        action="community.session_changed",
        actor=actor,
        target=session,
        data={"space_id": session.space_id, "fields": changed, "sequence": session.sequence},
    )
    if calendar_changed:
        message = (
            gettext_lazy("“%(title)s” has moved to %(when)s. Your calendar invitation is updated.")
            if moved
            else gettext_lazy("The details of “%(title)s” on %(when)s have changed.")
        )
        for signup in _holders(session, SignupStatus.PLACE):
            notify(
                recipient=signup.user,
                kind="community.session_changed",
                message=lambda: message % {"title": session.title, "when": when_text(session)},
                url=session_link(session),
                key=f"community-session-changed-{signup.pk}-{session.sequence}",
                attachment=(SESSION_ICS, signup.pk),
            )
    session_places_fill(session=session, actor=actor)


@transaction.atomic
def session_cancel(*, actor: User, session: ReflectiveSession) -> ReflectiveSession:
    """Cancel a session before it starts: those with a place get the cancellation for their
    calendar, those waiting a notice."""
    session = session_locked(session)
    require_facilitator(actor, session.space)
    if session.is_cancelled:
        return session
    if not permissions.can_change_session(actor, session):
        raise ValidationError(_("This session has started, so it cannot be cancelled."))
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "sequence"])
    audit_record(
        action="community.session_cancelled",
        actor=actor,
        target=session,
        data={"space_id": session.space_id, "sequence": session.sequence},
    )
    for signup in _holders(session, SignupStatus.PLACE, SignupStatus.WAITING):
        notify(
            recipient=signup.user,
            kind="community.session_cancelled",
            message=lambda: (
                _("“%(title)s” on %(when)s is cancelled.")
                % {"title": session.title, "when": when_text(session)}
            ),
            url=session_link(session),
            key=f"community-session-cancelled-{signup.pk}",
            attachment=(SESSION_ICS, signup.pk) if signup.has_place else None,
        )
    return session


@transaction.atomic
def session_attendance_set(
    *, actor: User, session: ReflectiveSession, attended_ids: set[int]
) -> int:
    """Mark who attended (everyone else with a place did not). Only after the session starts."""
    require_facilitator(actor, session.space)
    if session.starts_at > timezone.now():
        raise ValidationError(_("Mark attendance once the session has started."))
    signups = SessionSignup.objects.filter(session=session, status=SignupStatus.PLACE)
    newly = (
        list(
            signups.filter(user_id__in=attended_ids)
            .exclude(attended=True)
            .select_related("user")
            .order_by("pk")
        )
        if xapi_enabled()
        else []
    )
    signups.filter(user_id__in=attended_ids).update(attended=True)
    for signup in newly:
        # A learning record of attendance: the session's id only, never its title or posts.
        record_learning_event(
            user=signup.user,
            verb="attended",
            activity=Activity(kind="session", key=session.pk),
        )
    signups.exclude(user_id__in=attended_ids).update(attended=False)
    audit_record(
        action="community.session_attendance",
        actor=actor,
        target=session,
        data={"space_id": session.space_id, "attended": len(attended_ids)},
    )
    return len(attended_ids)
