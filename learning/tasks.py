"""Thin Celery tasks: fetch by id, call a service. Each is safe to run twice. Every task has a
stable name (``learning/task_names.py``), so moving this module never strands queued rows."""

from __future__ import annotations

from celery import shared_task

from learning import notify


@shared_task(name="hope.accounts.invitation_email_send", acks_late=True, ignore_result=True)
def invitation_send_email(invitation_id: int) -> None:
    notify.invitation_email_send(invitation_id=invitation_id)


@shared_task(name="hope.accounts.domain_claim_email_send", acks_late=True, ignore_result=True)
def domain_claim_email_send(claim_id: int) -> None:
    """The confirmation link for an email domain an organisation admin asked to link."""
    from learning.signin.domains import domain_claim_email_send as send

    send(claim_id=claim_id)


@shared_task(name="hope.ops.echo", acks_late=True)
def echo(value: str) -> str:
    """Round-trip probe used by the health check test and operations: returns its argument."""
    return value


@shared_task(name="hope.notify.email_send", acks_late=True, ignore_result=True)
def notification_email_send(
    notification_id: int, always: bool = False, attachment: list | None = None
) -> None:
    """The one email task for notifications (with an optional attachment, such as a calendar
    invitation, named by builder and row id)."""
    notify.notification_email_send(
        notification_id=notification_id, always=always, attachment=attachment
    )


@shared_task(name="hope.notify.digests_send", acks_late=True, ignore_result=True)
def notification_digests_send() -> None:
    """Beat, once a day: one task per person who has unsent notifications and chose a summary."""
    from learning.queue import enqueue_on_commit

    for user_id in notify.digest_recipients():
        enqueue_on_commit(notification_digest_send, user_id)


@shared_task(name="hope.notify.held_send", acks_late=True, ignore_result=True)
def notification_held_send() -> None:
    """Beat, every few minutes: emails and daily summaries held for quiet hours that have
    ended, one task each (each claims its row, so a repeat sends nothing twice)."""
    from learning.queue import enqueue_on_commit

    for notification_id in notify.held_emails_due():
        enqueue_on_commit(notification_email_send, notification_id)
    for user_id in notify.digests_held_due():
        enqueue_on_commit(notification_digest_send, user_id)


@shared_task(name="hope.notify.digest_send", acks_late=True, ignore_result=True)
def notification_digest_send(user_id: int) -> None:
    notify.notification_digest_send(user_id=user_id)


@shared_task(name="hope.ops.outbox_relay", acks_late=True, ignore_result=True)
def outbox_relay() -> None:
    """Beat backstop for the always-on relay: publish anything left waiting."""
    from learning.outbox import outbox_prune, outbox_relay_once

    outbox_relay_once()
    outbox_prune()


from learning import privacy_tasks  # noqa: E402, F401, I001  (download my data, erase my account)

# Learning records out.
from learning import xapi  # noqa: E402, F401
