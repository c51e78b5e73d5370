"""Thin community tasks: an id in, one service called; safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def session_send_invitation(signup_id: int) -> None:
    from community.sessions.services import session_invitation_email_send

    session_invitation_email_send(signup_id=signup_id)
