"""Thin community tasks: an id in, one service called; safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hope.community.session_invitation_send", acks_late=True, ignore_result=True)
def session_send_invitation(signup_id: int) -> None:
    """Tells the person about their place, once. Sign-up tells them itself; this task runs any
    invitation still waiting in the outbox under this name."""
    from community.sessions.places import session_invitation_notify

    session_invitation_notify(signup_id=signup_id)


@shared_task(name="hope.community.session_reminders_send", acks_late=True, ignore_result=True)
def session_reminders_send() -> int:
    """The day before a session, remind everyone with a place (each once: safe to run again)."""
    from community.sessions.places import session_reminders_send as send

    return send()


@shared_task(name="hope.community.reveal_requests_lapse", acks_late=True, ignore_result=True)
def reveal_requests_lapse() -> int:
    """Requests to reveal an anonymous author that nobody decided in time lapse, and the
    notices asking for a decision clear (safe to run again)."""
    from community.moderation.reveals import reveal_requests_lapse as lapse

    return lapse()
