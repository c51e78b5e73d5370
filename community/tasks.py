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
