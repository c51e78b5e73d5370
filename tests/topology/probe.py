"""The topology test's scheduled job: each run appends the time it ran to a Redis list, so the
test can count runs per period across both beats. Loaded into the worker with ``--include``."""

from __future__ import annotations

import os
import time

from celery import shared_task

TICKS_KEY = "hope:topology:ticks"


@shared_task(ignore_result=True, name="hope.tests.topology_tick")
def topology_tick() -> None:
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).rpush(TICKS_KEY, f"{time.time():.3f}")
