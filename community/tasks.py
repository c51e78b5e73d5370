"""Thin community tasks: an id in, one service called; safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hope.community.session_invitation_send", acks_late=True, ignore_result=True)
def session_send_invitation(signup_id: int) -> None:
    """For tasks queued before sign-up told the person itself: tells them once."""
    from community.sessions.services import session_invitation_notify

    session_invitation_notify(signup_id=signup_id)
