"""A task for the resilience tests: it records that it started, waits, then does an idempotent
effect (a notification with a once-only key). Loaded into test workers with ``--include``."""

from __future__ import annotations

import time

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True, name="hope.tests.probe")
def probe(user_id: int, key: str, seconds: float = 0.0) -> None:
    from learning.models import User
    from learning.notify import notify
    from learning.notify_groups import WAITING, notice_kind_register

    notice_kind_register("test.probe", WAITING)  # this worker runs without the test session
    from learning.services import audit_record

    user = User.objects.get(pk=user_id)
    audit_record(action="test.probe_started", actor=user, data={"key": key})
    time.sleep(seconds)
    notify(recipient=user, kind="test.probe", message=lambda: "Probe.", url="/", key=f"probe.{key}")
