"""Reflective sessions: scheduling, sign-up (capacity held under concurrency), the place
notice with its .ics calendar invitation (through ``learning.notify``) and attendance."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import ReflectiveSession, SessionSignup, Space, SpaceMember
from community.sessions.ics import session_ics
from community.shared.services import require_facilitator
from learning import permissions
from learning.dates import nhs_datetime
from learning.models import User
from learning.notify import Attachment, absolute_url, notify
from learning.sanitise import sanitise_text
from learning.services import audit_record

DURATION_MAX = 8 * 60
CAPACITY_MAX = 500


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
) -> ReflectiveSession:
    require_facilitator(actor, space)
    errors = {}
    title = sanitise_text(title or "").strip()
    joining_details = sanitise_text(joining_details or "").strip()
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
    if errors:
        raise ValidationError(errors)
    session = ReflectiveSession.objects.create(
        space=space,
        title=title[:200],
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        joining_details=joining_details[:1000],
        capacity=capacity,
        created_by=actor,
    )
    audit_record(
        action="community.session_created",
        actor=actor,
        target=session,
        data={"space_id": space.pk},
    )
    return session


@transaction.atomic
def session_signup(*, user: User, session: ReflectiveSession) -> SessionSignup:
    """Sign up, if there is room. The session row is locked while places are counted, so two
    people cannot take the last place at once. The person is told in this transaction, with
    the calendar invitation attached to the email if they get one."""
    session = (
        ReflectiveSession.objects.select_for_update().select_related("space").get(pk=session.pk)
    )
    member = SpaceMember.objects.filter(space=session.space, user=user).first()
    if not permissions.can_take_part(user, session.space, member):
        raise PermissionDenied
    existing = SessionSignup.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started, so you cannot sign up."))
    if SessionSignup.objects.filter(session=session).count() >= session.capacity:
        raise ValidationError(_("This session is full. Look out for the next one."))
    signup = SessionSignup.objects.create(session=session, user=user)
    audit_record(
        action="community.session_signup",
        actor=user,
        target=session,
        data={"space_id": session.space_id},
    )
    session_invitation_notify(signup_id=signup.pk)
    return signup


SESSION_ICS = "community.session_ics"


def _session_link(session: ReflectiveSession) -> str:
    return reverse(
        "community_session", kwargs={"space": session.space.slug, "session_id": session.pk}
    )


@transaction.atomic
def session_invitation_notify(*, signup_id: int) -> bool:
    """Tell the person they have a place, once (the signup is claimed first): on the site,
    and by email as they chose, with the .ics invitation attached."""
    claimed = SessionSignup.objects.filter(pk=signup_id, invitation_sent_at=None).update(
        invitation_sent_at=timezone.now()
    )
    if not claimed:
        return False
    signup = SessionSignup.objects.select_related("session__space", "user").get(pk=signup_id)
    session = signup.session
    when = nhs_datetime(session.starts_at, weekday=True)
    notify(
        recipient=signup.user,
        kind="community.session_place",
        message=_("You have a place at “%(title)s” (%(space)s) on %(when)s.")
        % {"title": session.title, "space": session.space.name, "when": when},
        url=_session_link(session),
        key=f"community-session-place-{signup.pk}",
        attachment=(SESSION_ICS, signup.pk),
    )
    return True


def session_invitation_ics(signup_id: int) -> Attachment | None:
    """The calendar invitation for one signup, built when its email is sent (registered with
    ``learning.notify`` as ``SESSION_ICS``)."""
    signup = SessionSignup.objects.select_related("session__space").filter(pk=signup_id).first()
    if signup is None:
        return None
    session = signup.session
    link = absolute_url(_session_link(session))
    ics = session_ics(
        uid=f"community-session-{session.pk}@holdinghope",
        title=session.title,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        description=f"{session.joining_details}\n\n{link}",
        location=session.joining_details.splitlines()[0] if session.joining_details else "",
    )
    return Attachment("session.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")


@transaction.atomic
def session_attendance_set(
    *, actor: User, session: ReflectiveSession, attended_ids: set[int]
) -> int:
    """Mark who attended (everyone else signed up did not). Only after the session starts."""
    require_facilitator(actor, session.space)
    if session.starts_at > timezone.now():
        raise ValidationError(_("Mark attendance once the session has started."))
    signups = SessionSignup.objects.filter(session=session)
    signups.filter(user_id__in=attended_ids).update(attended=True)
    signups.exclude(user_id__in=attended_ids).update(attended=False)
    audit_record(
        action="community.session_attendance",
        actor=actor,
        target=session,
        data={"space_id": session.space_id, "attended": len(attended_ids)},
    )
    return len(attended_ids)
