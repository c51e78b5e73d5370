"""Publish queued Celery tasks the broker could not take when they were enqueued.

Run it as an always-on process beside the worker and beat (``make relay``); ``--once`` does one
round (for cron or a health check)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from learning.outbox import outbox_prune, outbox_relay_once


class Command(BaseCommand):
    help = "Publish tasks waiting in the outbox (run continuously, or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between rounds.")

    def handle(self, *args, once: bool = False, interval: float = 5.0, **options):
        rounds = 0
        while True:
            close_old_connections()  # survive a database restart between rounds
            try:
                sent = outbox_relay_once()
                if sent:
                    self.stdout.write(f"Published {sent} waiting task(s).")
                rounds += 1
                if rounds % 720 == 0:
                    outbox_prune()
            except Exception as exc:  # keep relaying; the next round tries again
                self.stderr.write(f"Relay round failed: {type(exc).__name__}")
            if once:
                return
            time.sleep(interval)
