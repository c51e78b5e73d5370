"""``/healthz``: is the database, the cache and the task broker reachable, and is the task outbox
healthy?

A part that is down makes the answer 503. Queued tasks that name a task this code does not know
are an alert, not an outage: the answer stays 200 but says ``"status": "alert"`` and names the
part under ``"alerts"``, with the counts."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


def _check_broker() -> str:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return "eager"
    from learning.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def _check_outbox() -> dict:
    from django.db.models import Count, Q

    from learning.models import OutboxMessage
    from learning.queue import UNKNOWN

    counts = OutboxMessage.objects.filter(sent_at=None).aggregate(
        waiting=Count("pk"), unknown=Count("pk", filter=Q(last_error=UNKNOWN))
    )
    return {"status": "alert" if counts["unknown"] else "ok", **counts}


@never_cache
def healthz(request):
    checks = {
        "database": _check_database,
        "cache": _check_cache,
        "broker": _check_broker,
        "outbox": _check_outbox,
    }
    results: dict[str, dict] = {}
    healthy = True
    for name, check in checks.items():
        if name == "outbox" and results["database"]["status"] == "down":
            results[name] = {"status": "skipped"}  # its table is in the database
            continue
        started = time.perf_counter()
        try:
            outcome = check() or "ok"
            results[name] = outcome if isinstance(outcome, dict) else {"status": outcome}
        except Exception as exc:
            if name == "outbox":
                # The outbox is an alert, never an outage: a node whose database answers
                # keeps serving even if the outbox cannot be counted (say, before migrating).
                results[name] = {"status": "alert", "error": exc.__class__.__name__}
            else:
                healthy = False
                results[name] = {"status": "down", "error": exc.__class__.__name__}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    alerts = [name for name, r in results.items() if r["status"] == "alert"]
    body = {"status": "down" if not healthy else "alert" if alerts else "ok", "checks": results}
    if alerts:
        body["alerts"] = alerts
    if not healthy:
        body["failing"] = [name for name, r in results.items() if r["status"] == "down"]
    return JsonResponse(body, status=200 if healthy else 503)
