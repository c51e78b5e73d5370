"""A reflective session as a calendar event (``learning.calendar`` writes the text).

One UID for the session's life and its ``sequence``, so every invitation, update and
cancellation a person receives replaces the same event in their calendar."""

from __future__ import annotations

from django.urls import reverse

from community.models import ReflectiveSession, SessionSignup
from learning.calendar import CANCEL, REQUEST, CalendarEvent, calendar_attachment, calendar_uid
from learning.notify import Attachment
from learning.site_url import absolute_url

SESSION_ICS = "community.session_ics"


def session_link(session: ReflectiveSession) -> str:
    return reverse(
        "community_session", kwargs={"space": session.space.slug, "session_id": session.pk}
    )


def session_event(
    session: ReflectiveSession, *, attendee_email: str = "", attendee_name: str = ""
) -> CalendarEvent:
    """The session as an event for someone with a place: the joining details and the meeting
    link are theirs to see."""
    link = absolute_url(session_link(session))
    details = session.joining_details
    description = "\n\n".join(p for p in (details, session.meeting_url, link) if p)
    location = session.meeting_url or (details.splitlines()[0] if details else "")
    return CalendarEvent(
        uid=calendar_uid("community-session", session.pk),
        summary=session.title,
        starts=session.starts_at,
        ends=session.ends_at,
        sequence=session.sequence,
        description=description,
        location=location,
        url=link,
        cancelled=session.is_cancelled,
        attendee_email=attendee_email,
        attendee_name=attendee_name,
    )


def session_invitation_ics(signup_id: int) -> Attachment | None:
    """The calendar file for one sign-up, built when its email is sent (registered with
    ``learning.notify`` as ``SESSION_ICS``): an invitation (or updated invitation) while the
    person has a place at a session still on, a cancellation once the session is cancelled or
    they have withdrawn, nothing while they wait for a place."""
    signup = (
        SessionSignup.objects.select_related("session__space", "user").filter(pk=signup_id).first()
    )
    if signup is None or signup.is_waiting:
        return None
    session = signup.session
    method = REQUEST if signup.has_place and not session.is_cancelled else CANCEL
    event = session_event(session, attendee_email=signup.user.email, attendee_name=str(signup.user))
    return calendar_attachment(event, method=method, filename="session.ics")
