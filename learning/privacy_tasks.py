"""Data-rights tasks (thin: fetch by id, call a service). Safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hope.privacy.data_export_build", acks_late=True, ignore_result=True)
def data_export_build_task(export_id: int) -> None:
    from learning.privacy.services import data_export_build

    data_export_build(export_id=export_id)


@shared_task(name="hope.privacy.account_erase", acks_late=True, ignore_result=True)
def account_erase_task(user_id: int) -> None:
    from learning.privacy.services import account_erase

    account_erase(user_id=user_id)


@shared_task(name="hope.privacy.retention_apply", acks_late=True, ignore_result=True)
def privacy_retention_apply() -> None:
    """Beat, hourly: expired downloads deleted, erasures that were asked for finished."""
    from learning.privacy.services import privacy_retention_apply as apply

    apply()
