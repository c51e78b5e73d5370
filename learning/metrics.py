"""Prometheus metrics at ``/metrics``, for a scraper holding ``HOPE_METRICS_TOKEN``.

- ``hope_http_request_duration_seconds{view, method, status}``: request latency by view name
  (the URL pattern's name, so the label set is small and holds no identifiers).
- ``hope_outbox_backlog`` and ``hope_outbox_oldest_seconds``: queued tasks not yet handed to the
  broker, and how long the oldest has waited (learning/queue.py).
- ``hope_xapi_backlog`` and ``hope_xapi_refused``: learning records waiting for the learning
  record store, and those it refused for good.
- ``hope_queue_depth{queue}``: messages waiting in the Celery queue's Redis list, when the
  broker is Redis; ``hope_queue_depth_up`` is 0 when Redis could not be asked.
- ``hope_celery_task_failures_total{task}``: tasks that raised, counted by a Celery signal in
  the shared cache, so the web process can report what the workers saw.

Without ``HOPE_METRICS_TOKEN`` the page does not exist (404). A request without a bearer token
gets 401 and one with the wrong token 403; tokens are compared in constant time. Under gunicorn
with several workers, set ``PROMETHEUS_MULTIPROC_DIR`` (gunicorn.conf.py does) so latency is
summed over every worker.
"""

from __future__ import annotations

import hmac
import logging
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "hope_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

FAILURE_KEY = "metrics:task-failures:{}"


class MetricsMiddleware:
    """Times every request and labels it with the view that answered (or ``unresolved``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUEST_LATENCY.labels(view, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


def task_failure_count(sender=None, **_kwargs) -> None:
    """``task_failure``: add one to the task's failure count in the shared cache."""
    name = getattr(sender, "name", None) or "unknown"
    key = FAILURE_KEY.format(name)
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr, or the cache is down
        cache.set(key, 1, timeout=None)
    except Exception:
        logger.warning("Could not count a task failure for %s.", name)


def connect_celery_signals() -> None:
    from celery import signals

    signals.task_failure.connect(task_failure_count, weak=False)


class PlatformCollector:
    """Gauges read when scraped: the outbox backlog, queue depth and task failures."""

    def collect(self):
        from learning.celery import app
        from learning.models import OutboxMessage

        waiting = OutboxMessage.objects.filter(sent_at=None)
        backlog = GaugeMetricFamily("hope_outbox_backlog", "Queued tasks not yet published.")
        backlog.add_metric([], waiting.count())
        yield backlog
        oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
        age = GaugeMetricFamily(
            "hope_outbox_oldest_seconds", "Age of the oldest queued task not yet published."
        )
        age.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
        yield age
        yield from _xapi_gauges()

        queue = app.conf.task_default_queue or "celery"
        depth, up = _queue_depth(queue)
        up_metric = GaugeMetricFamily("hope_queue_depth_up", "1 if the broker could be asked.")
        up_metric.add_metric([], 1 if up else 0)
        yield up_metric
        if depth is not None:
            gauge = GaugeMetricFamily(
                "hope_queue_depth", "Messages waiting in the Celery queue.", labels=["queue"]
            )
            gauge.add_metric([queue], depth)
            yield gauge

        names = sorted(n for n in app.tasks if not n.startswith("celery."))
        counts = cache.get_many([FAILURE_KEY.format(n) for n in names])
        failures = CounterMetricFamily(
            "hope_celery_task_failures", "Tasks that raised, by task.", labels=["task"]
        )
        for name in names:
            failures.add_metric([name], counts.get(FAILURE_KEY.format(name), 0))
        yield failures


def _xapi_gauges():
    """Statements waiting for the learning record store, and those it refused for good: a
    growing backlog means the store is down or the sending task is not running."""
    from learning.xapi_models import XapiStatement

    by_status = dict(
        XapiStatement.objects.filter(
            status__in=[XapiStatement.Status.PENDING, XapiStatement.Status.FAILED]
        )
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    waiting = GaugeMetricFamily(
        "hope_xapi_backlog", "xAPI statements waiting to be sent to the learning record store."
    )
    waiting.add_metric([], by_status.get(XapiStatement.Status.PENDING, 0))
    yield waiting
    refused = GaugeMetricFamily(
        "hope_xapi_refused", "xAPI statements the learning record store refused for good."
    )
    refused.add_metric([], by_status.get(XapiStatement.Status.FAILED, 0))
    yield refused


def _queue_depth(queue: str) -> tuple[int | None, bool]:
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not url.startswith(("redis://", "rediss://")):
        return None, True  # not Redis (eager or in-memory): nothing to ask
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return int(client.llen(queue)), True
    except redis.RedisError:
        return None, False


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    registry.register(PlatformCollector())
    return registry


def _authorised(request) -> int | None:
    """None when the bearer token is right, else the status to answer with."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return 401
    expected = settings.HOPE_METRICS_TOKEN.encode("utf-8")
    if not hmac.compare_digest(token.strip().encode("utf-8"), expected):
        return 403
    return None


@never_cache
@require_GET
def metrics_view(request):
    if not getattr(settings, "HOPE_METRICS_TOKEN", ""):
        raise Http404
    refused = _authorised(request)
    if refused is not None:
        response = HttpResponse(status=refused)
        if refused == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
