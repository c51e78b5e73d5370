"""Publish queued Celery tasks the broker could not take when they were enqueued.

Run it as an always-on process beside the worker and beat (``make relay``); ``--once`` does one
round (for cron or a health check). Rows naming a task this code does not know are kept and
reported at error level (when their number changes, and hourly while any remain)."""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from learning.outbox import outbox_prune, outbox_relay_once, outbox_unknown

logger = logging.getLogger("learning.outbox")

ROUNDS_PER_HOUR = 720


class Command(BaseCommand):
    help = "Publish tasks waiting in the outbox (run continuously, or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between rounds.")

    def handle(self, *args, once: bool = False, interval: float = 5.0, **options):
        rounds = 0
        reported = 0
        while True:
            if not connection.in_atomic_block:  # never drop a connection mid-transaction
                close_old_connections()  # survive a database restart between rounds
            try:
                sent = outbox_relay_once()
                if sent:
                    self.stdout.write(f"Published {sent} waiting task(s).")
                unknown = outbox_unknown()
                total = sum(unknown.values())
                if total and (total != reported or rounds % ROUNDS_PER_HOUR == 0):
                    self._report_unknown(unknown, total)
                reported = total
                rounds += 1
                if rounds % ROUNDS_PER_HOUR == 0:
                    outbox_prune()
            except Exception as exc:  # keep relaying; the next round tries again
                self.stderr.write(f"Relay round failed: {type(exc).__name__}")
            if once:
                return
            time.sleep(interval)

    def _report_unknown(self, unknown: dict[str, int], total: int) -> None:
        names = ", ".join(f"{name} ({count})" for name, count in unknown.items())
        logger.error("%s queued task(s) name an unknown task and are kept: %s", total, names)
        self.stderr.write(f"{total} queued task(s) name an unknown task and are kept: {names}")
