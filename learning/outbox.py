"""The outbox relay: publish queued tasks the broker could not take at the time."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from learning.models import OutboxMessage
from learning.queue import BROKER_DOWN, SENT, publish

logger = logging.getLogger(__name__)

# A row younger than this is still being published by the request that wrote it.
GRACE = timedelta(seconds=2)
KEEP_SENT = timedelta(days=2)


def outbox_relay_once(*, batch: int = 200) -> int:
    """Publish up to ``batch`` waiting rows, oldest first; returns how many went out. Safe to
    run in several processes at once (rows are locked, skipping locked ones, on PostgreSQL)."""
    sent = 0
    cutoff = timezone.now() - GRACE
    with transaction.atomic():
        qs = (
            OutboxMessage.objects.filter(sent_at=None, created_at__lte=cutoff)
            .exclude(last_error="unknown task")
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


def outbox_prune(*, now=None) -> int:
    """Forget rows published more than two days ago."""
    now = now or timezone.now()
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return deleted


def outbox_backlog() -> int:
    return OutboxMessage.objects.filter(sent_at=None).count()
