"""Thin supervision tasks: call one service. Each is safe to run twice (every reminder is
claimed with a unique row before it is sent)."""

from __future__ import annotations

from celery import shared_task

from reflection.supervision import reminders


@shared_task(name="hope.supervision.reminders_send", acks_late=True, ignore_result=True)
def supervision_reminders_send() -> None:
    """Hourly from beat: sessions due, records awaiting confirmation, actions due."""
    reminders.supervision_reminders_send()


@shared_task(name="hope.supervision.confirmation_notify", acks_late=True, ignore_result=True)
def supervision_confirmation_notify(session_id: int) -> None:
    reminders.confirmation_notify(session_id=session_id)
