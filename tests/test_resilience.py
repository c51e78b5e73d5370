"""Resilience: the task outbox, failing open for caching and closed for sign-in while Redis is
down, a 503 while the database is unreachable. The tests that need real services (a Redis of
their own, a worker process, a PostgreSQL cluster of their own) are in test_resilience_services.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError, transaction
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from learning.cache import ResilientRedisCache, cache_available
from learning.models import AuditEvent, Notification, OutboxMessage
from learning.outbox import outbox_backlog, outbox_prune, outbox_relay_once
from learning.queue import enqueue_on_commit

from . import celery_probe
from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def probes(user) -> int:
    return Notification.objects.filter(recipient=user, kind="test.probe").count()


def test_a_rolled_back_change_never_runs_its_task():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(celery_probe.probe, user.pk, "rolled-back")
        raise RuntimeError("roll back")
    assert not OutboxMessage.objects.exists()
    assert probes(user) == 0


def test_tasks_enqueued_while_the_broker_is_down_wait_and_then_run_once(monkeypatch):
    user = UserFactory()
    from celery.app.task import Task

    original = Task.apply_async

    def broker_down(self, *args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", broker_down)
    with transaction.atomic():
        enqueue_on_commit(celery_probe.probe, user.pk, "outage")
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1
    assert message.last_error == "OperationalError"
    assert message.args == [user.pk, "outage"]
    assert probes(user) == 0
    # The relay cannot publish either while the broker is down.
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(seconds=5))
    assert outbox_relay_once() == 0
    assert outbox_backlog() == 1

    monkeypatch.setattr(Task, "apply_async", original)  # the broker is back
    assert outbox_relay_once() == 1
    assert probes(user) == 1
    assert outbox_backlog() == 0
    assert outbox_relay_once() == 0  # nothing is published twice
    assert probes(user) == 1


def test_published_rows_are_pruned_after_two_days():
    user = UserFactory()
    with transaction.atomic():
        enqueue_on_commit(celery_probe.probe, user.pk, "old")
    # (the probe's notification queued its email too)
    OutboxMessage.objects.update(sent_at=timezone.now() - timedelta(days=3))
    assert outbox_prune() >= 1
    assert not OutboxMessage.objects.exists()


def test_relay_command_runs_one_round():
    from django.core.management import call_command

    user = UserFactory()
    OutboxMessage.objects.create(
        task_name=celery_probe.probe.name,
        args=[user.pk, "command"],
        created_at=timezone.now() - timedelta(minutes=1),
    )
    call_command("outbox_relay", "--once")
    assert probes(user) == 1


def test_a_redis_cache_that_cannot_be_reached_misses_instead_of_failing():
    cache = ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    assert cache.get("anything", "fallback") == "fallback"
    assert cache.set("k", "v") is None
    assert cache.add("k", "v") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("k") is False


def test_sign_in_fails_closed_with_a_clear_message_while_the_cache_is_down(monkeypatch, home_page):
    monkeypatch.setattr("learning.cache.cache_available", lambda alias="default": False)
    client = Client()
    assert client.get("/").status_code == 200  # pages that need no Redis still serve
    response = client.post(
        reverse("account_login"), {"login": "someone@example.nhs.uk", "password": "x"}
    )
    assert response.status_code == 503 and response["Retry-After"] == "60"
    body = response.content.decode()
    assert "Signing in is paused for a moment" in body
    assert "We have not checked or stored your details." in body
    assert not AuditEvent.objects.filter(action__startswith="auth.").exists()
    assert cache_available()  # the real check: the test cache is local, so always there


def _database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def _other_failure(request):
    raise ValueError("something else went wrong")


urlpatterns = [
    path("db-down/", _database_down),
    path("other/", _other_failure),
]
handler500 = "learning.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_an_unreachable_database_is_a_generic_503_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/db-down/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    body = response.content.decode()
    assert "unavailable for a moment" in body
    assert "5432" not in body and "Traceback" not in body
    response = client.get("/other/")
    assert response.status_code == 500
    assert "something else" not in response.content.decode()
