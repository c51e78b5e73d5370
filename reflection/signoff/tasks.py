"""Thin sign-off tasks: ids in, one notification function called. Each is safe to run twice
(the row is claimed before the email is sent)."""

from __future__ import annotations

from celery import shared_task

from reflection.signoff import services as signoff_services


@shared_task(name="hope.signoff.supervisor_notify", acks_late=True, ignore_result=True)
def signoff_notify_supervisor(request_id: int) -> None:
    signoff_services.signoff_supervisor_email_send(request_id=request_id)


@shared_task(name="hope.signoff.author_notify", acks_late=True, ignore_result=True)
def signoff_notify_author(request_id: int) -> None:
    signoff_services.signoff_author_email_send(request_id=request_id)
