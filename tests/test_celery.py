"""The Celery app: configured for safety, tasks enqueued on commit, and a real round trip through
a real worker and Redis (CI) as well as eagerly (embedded default)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from learning.celery import app
from learning.queue import enqueue_on_commit
from learning.tasks import echo, invitation_send_email

from .factories import InvitationFactory


def test_celery_is_configured_for_at_least_once_delivery():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert "hope.accounts.invitation_email_send" in app.tasks


def test_echo_runs_eagerly_in_the_embedded_default():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    result = echo.delay("hello")
    assert result.successful() and result.result == "hello"


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_waits_for_commit_and_skips_rollback():
    invitation = InvitationFactory()
    with transaction.atomic():
        enqueue_on_commit(invitation_send_email, invitation.pk)
        assert mail.outbox == []
    assert len(mail.outbox) == 1

    mail.outbox.clear()
    other = InvitationFactory()
    try:
        with transaction.atomic():
            enqueue_on_commit(invitation_send_email, other.pk)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert mail.outbox == []


@pytest.mark.django_db
def test_invitation_email_task_is_idempotent():
    invitation = InvitationFactory()
    invitation_send_email.delay(invitation.pk)
    invitation_send_email.delay(invitation.pk)
    assert len(mail.outbox) == 1
    assert invitation.email in mail.outbox[0].to


@pytest.mark.redis
def test_real_round_trip_through_a_worker_and_redis():
    """A real Celery worker (in a thread) on the Redis broker runs the same task. A separate
    app instance with the project's configuration keeps the eager default untouched."""
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    redis_url = os.environ["REDIS_URL"]
    real = Celery("learning-roundtrip", set_as_current=False)
    real.config_from_object("django.conf:settings", namespace="CELERY")
    real.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    real.autodiscover_tasks(force=True)
    real.finalize()
    task = real.tasks[echo.name]
    assert task.name == "hope.ops.echo"
    from celery.result import _set_task_join_will_block, task_join_will_block

    blocked = task_join_will_block()
    try:
        with start_worker(real, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = task.delay("round trip")
            assert result.get(timeout=20, disable_sync_subtasks=False) == "round trip"
            assert result.successful()
    finally:
        # The in-thread worker makes its app the current one and sets a process-wide flag;
        # put both back so later tests see the project's (eager) app.
        _set_task_join_will_block(blocked)
        app.set_current()
        app.set_default()
