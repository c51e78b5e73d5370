"""Enqueue Celery tasks only once the surrounding transaction has committed, so a task never
runs for a change that rolled back and never reads a row that is not there yet."""

from __future__ import annotations

from functools import partial

from celery import Task
from django.db import transaction


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    transaction.on_commit(partial(task.delay, *args, **kwargs))
