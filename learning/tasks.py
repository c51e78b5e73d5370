"""Thin Celery tasks: fetch by id, call a service. Each is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from learning import notifications


@shared_task(acks_late=True, ignore_result=True)
def invitation_send_email(invitation_id: int) -> None:
    notifications.invitation_email_send(invitation_id=invitation_id)


@shared_task(acks_late=True)
def echo(value: str) -> str:
    """Round-trip probe used by the health check test and operations: returns its argument."""
    return value


@shared_task(acks_late=True, ignore_result=True)
def notification_email_send(notification_id: int) -> None:
    notifications.notification_email_send(notification_id=notification_id)


@shared_task(acks_late=True, ignore_result=True)
def notification_digests_send() -> None:
    """Beat, once a day: one task per person who has unsent notifications and chose a summary."""
    from learning.queue import enqueue_on_commit

    for user_id in notifications.digest_recipients():
        enqueue_on_commit(notification_digest_send, user_id)


@shared_task(acks_late=True, ignore_result=True)
def notification_digest_send(user_id: int) -> None:
    notifications.notification_digest_send(user_id=user_id)


@shared_task(acks_late=True, ignore_result=True)
def outbox_relay() -> None:
    """Beat backstop for the always-on relay: publish anything left waiting."""
    from learning.outbox import outbox_prune, outbox_relay_once

    outbox_relay_once()
    outbox_prune()


from learning import privacy_tasks  # noqa: E402, F401  (download my data, erase my account)
