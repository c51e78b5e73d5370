"""Places at a reflective session: sign-up, the waiting list (first come, first served),
withdrawal, promotion from the waiting list, and the reminder the day before.

Every change locks the session's row first, so places are counted and handed out one change
at a time (two people cannot take the last place; a place freed is given once). Each person is
told through ``learning.notify``; while they have a place the email carries the calendar
invitation, and once they withdraw it carries the cancellation."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import ReflectiveSession, SessionSignup, SignupStatus, SpaceMember
from community.sessions.ics import SESSION_ICS, session_link
from learning import permissions
from learning.dates import nhs_datetime
from learning.models import User
from learning.notify import notify
from learning.services import audit_record


def when_text(session: ReflectiveSession) -> str:
    return nhs_datetime(session.starts_at, weekday=True)


def session_locked(session: ReflectiveSession) -> ReflectiveSession:
    """The session's row, locked until the transaction ends, with its space."""
    return ReflectiveSession.objects.select_for_update().select_related("space").get(pk=session.pk)


def places_taken(session: ReflectiveSession) -> int:
    return SessionSignup.objects.filter(session=session, status=SignupStatus.PLACE).count()


def _stamp(signup: SessionSignup) -> int:
    return int(signup.status_at.timestamp())


def place_notify(signup: SessionSignup, session: ReflectiveSession, *, promoted: bool) -> bool:
    """Tell the person they have a place, once per place (the sign-up is claimed first), with
    the calendar invitation attached to the email."""
    claimed = SessionSignup.objects.filter(
        pk=signup.pk, status=SignupStatus.PLACE, invitation_sent_at=None
    ).update(invitation_sent_at=timezone.now())
    if not claimed:
        return False
    if promoted:
        message = gettext_lazy(
            "A place came up at “%(title)s” (%(space)s) on %(when)s and it is yours now."
        )
    else:
        message = gettext_lazy("You have a place at “%(title)s” (%(space)s) on %(when)s.")
    notify(
        recipient=signup.user,
        kind="community.session_place",
        message=lambda: (
            message
            % {"title": session.title, "space": session.space.name, "when": when_text(session)}
        ),
        url=session_link(session),
        key=f"community-session-place-{signup.pk}-{_stamp(signup)}",
        attachment=(SESSION_ICS, signup.pk),
    )
    return True


@transaction.atomic
def session_invitation_notify(*, signup_id: int) -> bool:
    """Tell the person about their place, once (for the task that runs a waiting invitation)."""
    signup = (
        SessionSignup.objects.select_related("session__space", "user").filter(pk=signup_id).first()
    )
    if signup is None:
        return False
    return place_notify(signup, signup.session, promoted=False)


@transaction.atomic
def session_signup(*, user: User, session: ReflectiveSession) -> SessionSignup:
    """A place if there is one, else a turn on the waiting list. Signing up again while signed
    up changes nothing; after withdrawing, the person joins at the back."""
    session = session_locked(session)
    member = SpaceMember.objects.filter(space=session.space, user=user).first()
    if not permissions.can_take_part(user, session.space, member):
        raise PermissionDenied
    existing = SessionSignup.objects.filter(session=session, user=user).first()
    if existing is not None and (existing.has_place or existing.is_waiting):
        return existing
    if session.is_cancelled:
        raise ValidationError(_("This session has been cancelled, so you cannot sign up."))
    if session.has_started:
        raise ValidationError(_("This session has already started, so you cannot sign up."))
    status = (
        SignupStatus.PLACE if places_taken(session) < session.capacity else SignupStatus.WAITING
    )
    now = timezone.now()
    if existing is None:
        signup = SessionSignup.objects.create(
            session=session, user=user, status=status, status_at=now
        )
    else:
        signup = existing
        signup.status, signup.status_at = status, now
        signup.invitation_sent_at = signup.reminder_sent_at = signup.attended = None
        signup.save(
            update_fields=[
                "status",
                "status_at",
                "invitation_sent_at",
                "reminder_sent_at",
                "attended",
            ]
        )
    audit_record(
        action="community.session_signup" if signup.has_place else "community.session_waiting",
        actor=user,
        target=session,
        data={"space_id": session.space_id, "status": status},
    )
    signup.user = user
    if signup.has_place:
        place_notify(signup, session, promoted=False)
    else:
        notify(
            recipient=user,
            kind="community.session_waiting",
            message=lambda: (
                _(
                    "“%(title)s” on %(when)s is full. You are on the waiting list: if a place "
                    "comes up, it is yours and we will tell you."
                )
                % {"title": session.title, "when": when_text(session)}
            ),
            url=session_link(session),
            key=f"community-session-waiting-{signup.pk}-{_stamp(signup)}",
        )
    return signup


@transaction.atomic
def session_withdraw(*, user: User, session: ReflectiveSession) -> SessionSignup:
    """Give up a place, or a turn on the waiting list. A place given up goes to the first
    person waiting. The person's calendar gets the cancellation of the event."""
    session = session_locked(session)
    signup = SessionSignup.objects.select_for_update().filter(session=session, user=user).first()
    if signup is None or not (signup.has_place or signup.is_waiting):
        raise ValidationError(_("You are not signed up to this session."))
    if not permissions.can_withdraw_from_session(user, session, signup):
        raise ValidationError(_("This session has started or been cancelled, so nothing changes."))
    had_place = signup.has_place
    signup.status, signup.status_at = SignupStatus.WITHDRAWN, timezone.now()
    signup.save(update_fields=["status", "status_at"])
    audit_record(
        action="community.session_withdrawn",
        actor=user,
        target=session,
        data={"space_id": session.space_id, "had_place": had_place},
    )
    signup.user = user
    notify(
        recipient=user,
        kind="community.session_withdrawn",
        message=lambda: (
            (
                _("You gave up your place at “%(title)s” on %(when)s.")
                if had_place
                else _("You left the waiting list for “%(title)s” on %(when)s.")
            )
            % {"title": session.title, "when": when_text(session)}
        ),
        url=session_link(session),
        key=f"community-session-withdrawn-{signup.pk}-{_stamp(signup)}",
        attachment=(SESSION_ICS, signup.pk) if had_place else None,
    )
    if had_place:
        session_places_fill(session=session, actor=user)
    return signup


def session_places_fill(*, session: ReflectiveSession, actor: User | None) -> list[SessionSignup]:
    """Give free places to those waiting, first come first served, each told with their
    invitation. Called inside a change that holds the session's lock."""
    if session.is_cancelled or session.has_started:
        return []
    free = session.capacity - places_taken(session)
    if free <= 0:
        return []
    promoted = list(
        SessionSignup.objects.select_for_update()
        .select_related("user")
        .filter(session=session, status=SignupStatus.WAITING)
        .order_by("status_at", "pk")[:free]
    )
    if not promoted:
        return []
    now = timezone.now()
    SessionSignup.objects.filter(pk__in=[s.pk for s in promoted]).update(
        status=SignupStatus.PLACE, status_at=now, invitation_sent_at=None, reminder_sent_at=None
    )
    audit_record(
        action="community.session_promoted",
        actor=actor,
        target=session,
        data={"space_id": session.space_id, "user_ids": [s.user_id for s in promoted]},
    )
    for signup in promoted:
        signup.status, signup.status_at, signup.invitation_sent_at = SignupStatus.PLACE, now, None
        place_notify(signup, session, promoted=True)
    return promoted


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone with a place at a session that starts tomorrow, once each (the sign-up
    is claimed first, so running this again, or on two machines, sends nothing more)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    due = list(
        SessionSignup.objects.select_related("session__space", "user")
        .filter(
            status=SignupStatus.PLACE,
            reminder_sent_at=None,
            session__cancelled_at=None,
            session__starts_at__gte=start,
            session__starts_at__lt=start + timedelta(days=1),
        )
        .order_by("pk")
    )
    sent = 0
    for signup in due:
        with transaction.atomic():
            claimed = SessionSignup.objects.filter(
                pk=signup.pk, status=SignupStatus.PLACE, reminder_sent_at=None
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            session = signup.session
            notify(
                recipient=signup.user,
                kind="community.session_reminder",
                message=partial(_reminder_text, session),
                url=session_link(session),
                key=f"community-session-reminder-{signup.pk}-{session.sequence}-{tomorrow}",
            )
            sent += 1
    return sent


def _reminder_text(session: ReflectiveSession) -> str:
    """The day-before reminder, written when the notice is, in the recipient's language."""
    return _("Reminder: “%(title)s” (%(space)s) is tomorrow, %(when)s.") % {
        "title": session.title,
        "space": session.space.name,
        "when": when_text(session),
    }
