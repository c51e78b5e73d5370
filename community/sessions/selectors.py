"""Reads for reflective sessions: a space's sessions with the person's place or waiting-list
position and how many places are taken, a person's sign-up, the list of those with a place, and
the sessions someone attended, which the supervision log shows (attendance only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from community.models import ReflectiveSession, SessionSignup, SignupStatus, Space
from learning.models import User
from learning.permissions import Person, is_signed_in


@dataclass(frozen=True)
class AttendedSession:
    """A reflective session someone attended, for the supervision log (attendance only)."""

    starts_at: datetime
    duration_minutes: int
    title: str
    space_name: str


def reflective_sessions_attended_by(user: Person) -> list[AttendedSession]:
    """Sessions the person was marked as attending, oldest first (one query)."""
    if not is_signed_in(user):
        return []
    rows = (
        SessionSignup.objects.filter(user_id=user.pk, attended=True)
        .select_related("session__space")
        .order_by("session__starts_at", "session_id")
    )
    return [
        AttendedSession(
            starts_at=r.session.starts_at,
            duration_minutes=r.session.duration_minutes,
            title=r.session.title,
            space_name=r.session.space.name,
        )
        for r in rows
    ]


def _count(qs: QuerySet) -> Subquery:
    return Subquery(
        qs.order_by().values("session_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def sessions_of(space: Space, user: User) -> QuerySet[ReflectiveSession]:
    """The space's sessions, each with ``signed_up`` (the person has a place), ``waiting``
    (they are on its waiting list), ``taken`` (places taken) and ``waiting_count``."""
    mine = SessionSignup.objects.filter(session=OuterRef("pk"), user_id=user.pk)
    return ReflectiveSession.objects.filter(space=space).annotate(
        signed_up=Exists(mine.filter(status=SignupStatus.PLACE)),
        waiting=Exists(mine.filter(status=SignupStatus.WAITING)),
        taken=Coalesce(
            _count(SessionSignup.objects.filter(session=OuterRef("pk"), status=SignupStatus.PLACE)),
            0,
        ),
        waiting_count=Coalesce(
            _count(
                SessionSignup.objects.filter(session=OuterRef("pk"), status=SignupStatus.WAITING)
            ),
            0,
        ),
    )


def session_signup_of(session: ReflectiveSession, user: User) -> SessionSignup | None:
    """The person's sign-up to the session, with ``ahead``: how many joined its waiting list
    before them (one query)."""
    return (
        SessionSignup.objects.filter(session=session, user_id=user.pk)
        .annotate(
            ahead=Coalesce(
                _count(
                    SessionSignup.objects.filter(
                        session=OuterRef("session_id"),
                        status=SignupStatus.WAITING,
                        status_at__lt=OuterRef("status_at"),
                    )
                ),
                0,
            )
        )
        .first()
    )


def session_signups(session: ReflectiveSession) -> QuerySet[SessionSignup]:
    """Those with a place at the session, in the order they signed up."""
    return (
        SessionSignup.objects.filter(session=session, status=SignupStatus.PLACE)
        .select_related("user")
        .order_by("pk")
    )
