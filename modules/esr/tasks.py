"""ESR export task (thin: fetch by id, call a service). Safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hope.esr.export_build", acks_late=True, ignore_result=True)
def esr_export_build_task(export_id: int) -> None:
    from modules.esr.services import esr_export_build

    esr_export_build(export_id=export_id)


__all__ = ["esr_export_build_task"]
