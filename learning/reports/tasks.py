"""Report tasks (thin: fetch by id, call a service). Safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hope.reports.export_build", acks_late=True, ignore_result=True)
def report_export_build_task(export_id: int) -> None:
    from learning.reports.services import report_export_build

    report_export_build(export_id=export_id)


__all__ = ["report_export_build_task"]
