"""Enqueue Celery tasks through a transactional outbox.

``enqueue_on_commit(task, *args)`` writes an ``OutboxMessage`` row in the current transaction.
Once the transaction commits, the row is published to the broker straight away; if the broker
is unreachable (Redis down), the row simply waits and the relay (``manage.py outbox_relay``, a
small always-on process, with a beat job as a backstop) publishes it when the broker is back.
So a task never runs for a change that rolled back, never reads a row that is not there yet,
and is never lost. Publishing is at least once (a relay could crash between publishing and
marking the row): every task is idempotent.
"""

from __future__ import annotations

import logging

from celery import Task
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# What a broker outage looks like from the publishing side (kombu wraps most of these).
try:  # pragma: no branch
    from kombu.exceptions import OperationalError as KombuOperationalError
except ImportError:  # pragma: no cover
    KombuOperationalError = OSError

BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuOperationalError, ConnectionError, OSError)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    from learning.models import OutboxMessage
    from learning.observability import current_request_id

    message = OutboxMessage.objects.create(
        task_name=task.name, args=list(args), kwargs=kwargs, request_id=current_request_id()
    )
    transaction.on_commit(lambda: publish(message.pk))


SENT, BROKER_DOWN, SKIPPED, UNKNOWN = "sent", "broker down", "skipped", "unknown task"


def registered_task(name: str) -> Task | None:
    """The task registered under ``name`` (a legacy name finds its task under the stable one),
    or ``None``. Imports every app's task modules first, so a process that has not run a task
    yet (the relay) knows them all, before it calls a name unknown."""
    from learning.celery import app
    from learning.task_names import task_name_resolve

    name = task_name_resolve(name)
    task = app.tasks.get(name)
    if task is None:
        app.loader.import_default_modules()
        task = app.tasks.get(name)
    return task


def publish(message_id: int) -> str:
    """Hand one outbox row to the broker and mark it sent. Returns ``SENT``; ``BROKER_DOWN`` if
    the broker cannot be reached (the row stays for the relay); ``UNKNOWN`` if no task of that
    name exists (logged as an error; the row stays, for the relay to report and retry once the
    code knows the name); ``SKIPPED`` if the row was already sent. A row queued under a task's
    legacy module-path name is published under its stable name. In the embedded default
    (eager) the task runs here and now."""
    from learning.celery import app
    from learning.models import OutboxMessage

    message = OutboxMessage.objects.filter(pk=message_id, sent_at=None).first()
    if message is None:
        return SKIPPED
    task = registered_task(message.task_name)
    if task is None:
        _note_failure(message, UNKNOWN)
        logger.error(
            "Outbox message %s names an unknown task %r; it stays queued.",
            message.pk,
            message.task_name,
        )
        return UNKNOWN
    options = {"task_id": f"outbox-{message.pk}"}
    if message.request_id:  # the worker logs under the id of the request that queued it
        options["headers"] = {"hope_request_id": message.request_id}
    try:
        if app.conf.task_always_eager:
            task.apply_async(args=message.args, kwargs=message.kwargs, **options)
        else:
            app.send_task(
                task.name, args=message.args, kwargs=message.kwargs, retry=False, **options
            )
    except BROKER_ERRORS as exc:
        _note_failure(message, type(exc).__name__)
        logger.warning(
            "Broker unavailable; outbox message %s (%s) waits for the relay.",
            message.pk,
            message.task_name,
        )
        return BROKER_DOWN
    OutboxMessage.objects.filter(pk=message.pk, sent_at=None).update(sent_at=timezone.now())
    return SENT


def _note_failure(message, error: str) -> None:
    from learning.models import OutboxMessage

    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=message.attempts + 1, last_error=error[:200]
    )
