"""The outbox relay: publish queued tasks the broker could not take at the time."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from learning.models import OutboxMessage
from learning.queue import BROKER_DOWN, SENT, UNKNOWN, publish, registered_task

logger = logging.getLogger(__name__)

# A row younger than this is still being published by the request that wrote it.
GRACE = timedelta(seconds=2)
KEEP_SENT = timedelta(days=2)


def outbox_relay_once(*, batch: int = 200) -> int:
    """Publish up to ``batch`` waiting rows, oldest first; returns how many went out. Safe to
    run in several processes at once (rows are locked, skipping locked ones, on PostgreSQL)."""
    sent = 0
    cutoff = timezone.now() - GRACE
    _unknown_recheck()
    with transaction.atomic():
        qs = (
            OutboxMessage.objects.filter(sent_at=None, created_at__lte=cutoff)
            .exclude(last_error=UNKNOWN)
            .order_by("created_at", "pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:batch])
        for message_id in ids:
            outcome = publish(message_id)
            if outcome == SENT:
                sent += 1
            elif outcome == BROKER_DOWN:
                break  # still down: try again on the next round
    return sent


def _unknown_recheck() -> None:
    """Rows set aside because their task name was unknown go back in the queue once this code
    knows the name (a deploy added it, or a legacy name was mapped)."""
    names = set(
        OutboxMessage.objects.filter(sent_at=None, last_error=UNKNOWN)
        .values_list("task_name", flat=True)
        .distinct()
    )
    known = [name for name in names if registered_task(name) is not None]
    if known:
        OutboxMessage.objects.filter(sent_at=None, last_error=UNKNOWN, task_name__in=known).update(
            last_error=""
        )


def outbox_unknown() -> dict[str, int]:
    """Waiting rows that name a task this code does not know, counted by name. They are kept
    (never deleted or skipped silently) and reported by the relay and ``/healthz``."""
    rows = (
        OutboxMessage.objects.filter(sent_at=None, last_error=UNKNOWN)
        .values_list("task_name", flat=True)
        .order_by("task_name")
    )
    counts: dict[str, int] = {}
    for name in rows:
        counts[name] = counts.get(name, 0) + 1
    return counts


def outbox_prune(*, now=None) -> int:
    """Forget rows published more than two days ago."""
    now = now or timezone.now()
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return deleted


def outbox_backlog() -> int:
    return OutboxMessage.objects.filter(sent_at=None).count()
