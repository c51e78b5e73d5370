"""Request ids (header, logs, outbox, tasks), JSON log lines and the /metrics endpoint."""

from __future__ import annotations

import json
import logging
import re

import pytest
from celery import shared_task
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from learning import metrics, observability
from learning.models import OutboxMessage
from learning.queue import enqueue_on_commit, publish
from learning.xapi_models import XapiStatement

from .factories import UserFactory

pytestmark = pytest.mark.django_db

SEEN: list[str] = []
TOKEN = "metrics-token-for-tests-0123456789"


@shared_task(name="tests.observability.record_request_id")
def record_request_id():
    SEEN.append(observability.current_request_id())


@shared_task(name="tests.observability.always_fails")
def always_fails():
    raise RuntimeError("expected failure")


def test_each_response_carries_a_new_request_id(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_incoming_request_id_is_used_only_when_trusted_and_well_formed(client):
    sent = {"HTTP_X_REQUEST_ID": "lb-1234567890abcdef"}
    assert client.get(reverse("healthz"), **sent)["X-Request-ID"] != "lb-1234567890abcdef"
    with override_settings(HOPE_TRUST_REQUEST_ID=True):
        assert client.get(reverse("healthz"), **sent)["X-Request-ID"] == "lb-1234567890abcdef"
        forged = client.get(reverse("healthz"), HTTP_X_REQUEST_ID='x"; drop\n')
        assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("learning.test", logging.WARNING, __file__, 1, "n=%s", (3,), None)
    with observability.request_id_bound("req-abcdef123"):
        line = json.loads(observability.JsonFormatter().format(record))
    assert line["message"] == "n=3" and line["level"] == "WARNING"
    assert line["request_id"] == "req-abcdef123" and line["logger"] == "learning.test"
    assert json.loads(observability.JsonFormatter().format(record))["request_id"] is None


def test_request_id_goes_from_request_to_outbox_row_to_task(django_capture_on_commit_callbacks):
    SEEN.clear()
    with (
        observability.request_id_bound("req-from-the-web-1"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        enqueue_on_commit(record_request_id)
    row = OutboxMessage.objects.get(task_name="tests.observability.record_request_id")
    assert row.request_id == "req-from-the-web-1"
    assert SEEN == ["req-from-the-web-1"]
    # The relay publishes a waiting row later, outside any request: the row's id still travels.
    SEEN.clear()
    waiting = OutboxMessage.objects.create(
        task_name=record_request_id.name, request_id="req-queued-earlier"
    )
    assert observability.current_request_id() == ""
    publish(waiting.pk)
    assert SEEN == ["req-queued-earlier"]
    assert observability.current_request_id() == ""


def _metrics(client, **headers):
    return client.get(reverse("metrics"), **headers)


def test_metrics_is_not_there_without_a_token(client):
    with override_settings(HOPE_METRICS_TOKEN=""):
        assert _metrics(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@override_settings(HOPE_METRICS_TOKEN=TOKEN)
def test_metrics_needs_the_bearer_token(client, people):
    assert _metrics(client).status_code == 401
    assert _metrics(client)["WWW-Authenticate"].startswith("Bearer")
    assert _metrics(client, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert _metrics(client, HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    client.force_login(people["superuser"])  # being signed in is not enough
    assert _metrics(client).status_code == 401
    assert client.post(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


@override_settings(HOPE_METRICS_TOKEN=TOKEN)
def test_metrics_reports_backlog_failures_and_latency_by_view(client):
    OutboxMessage.objects.create(task_name="learning.tasks.outbox_relay")
    OutboxMessage.objects.create(task_name="learning.tasks.outbox_relay")
    learner = UserFactory()
    for status in ("pending", "pending", "failed", "sent"):
        XapiStatement.objects.create(
            user=learner, verb="completed", statement={}, status=status, sent_at=timezone.now()
        )
    # As a worker runs it (tests otherwise raise task errors straight through).
    assert always_fails.apply(throw=False).failed()
    client.get(reverse("healthz"))
    response = _metrics(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.content.decode()
    assert re.search(r"^hope_outbox_backlog 2\.0$", body, re.M)
    assert re.search(r"^hope_outbox_oldest_seconds \d", body, re.M)
    assert re.search(r"^hope_xapi_backlog 2\.0$", body, re.M)
    assert re.search(r"^hope_xapi_refused 1\.0$", body, re.M)
    assert re.search(
        r'^hope_celery_task_failures_total\{task="tests.observability.always_fails"\} 1\.0$',
        body,
        re.M,
    )
    assert 'hope_http_request_duration_seconds_count{method="GET",status="2xx",view="healthz"}' in (
        body
    )
    # The broker here is in memory, so there is no Redis list to measure, and that is not "down".
    assert re.search(r"^hope_queue_depth_up 1\.0$", body, re.M)
    assert "hope_queue_depth{" not in body


def test_queue_depth_reads_the_redis_list_and_reports_redis_down(monkeypatch):
    class FakeRedis:
        def llen(self, name):
            assert name == "celery"
            return 7

    monkeypatch.setattr("redis.Redis.from_url", lambda *a, **k: FakeRedis())
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        assert metrics._queue_depth("celery") == (7, True)

    def refuse(*a, **k):
        import redis

        raise redis.ConnectionError("down")

    monkeypatch.setattr("redis.Redis.from_url", refuse)
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        assert metrics._queue_depth("celery") == (None, False)


def test_sentry_scrubber_keeps_where_and_drops_what():
    event = {
        "request": {
            "method": "POST",
            "url": "https://hope.example/journal/new/?token=abc",
            "data": {"summary": "private"},
            "cookies": {"__Secure-sessionid": "s"},
            "query_string": "token=abc",
            "headers": {"Cookie": "s", "Authorization": "Bearer x", "User-Agent": "ua"},
            "env": {"REMOTE_ADDR": "10.0.0.1"},
        },
        "exception": {
            "values": [{"type": "E", "stacktrace": {"frames": [{"function": "f", "vars": {}}]}}]
        },
        "user": {"id": 5, "email": "a@example.nhs.uk", "ip_address": "10.0.0.1"},
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT", "data": {"p": 1}}]},
        "extra": {"sys.argv": ["x"]},
    }
    scrubbed = observability.sentry_scrub(event)
    assert scrubbed["request"] == {
        "method": "POST",
        "url": "https://hope.example/journal/new/",
        "headers": {"User-Agent": "ua"},
    }
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"] == [{"function": "f"}]
    assert scrubbed["user"] == {"id": 5}
    assert scrubbed["breadcrumbs"]["values"] == [{"category": "query"}]
    assert "extra" not in scrubbed
