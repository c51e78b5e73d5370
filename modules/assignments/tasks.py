"""Celery tasks for module assignments: thin, ``acks_late`` and safe to run twice (each email
is claimed before it is sent)."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from modules.assignments.services import assignment_notice_send, assignment_reminders_send


@shared_task(name="hope.assignments.notice_send", acks_late=True, ignore_result=True)
def assignment_notice_send_email(assignment_id: int) -> None:
    assignment_notice_send(assignment_id=assignment_id)


@shared_task(name="hope.assignments.reminders_send", acks_late=True)
def assignment_reminders(today_iso: str | None = None) -> dict[str, int]:
    """Daily (Celery beat): reminders before the due date and notices once it has passed."""
    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return assignment_reminders_send(today=today)
