"""Writes for the ESR export: asking for it, building it, handing it over and expiring it. Each
checks permission, changes state and writes an audit row (identifiers and counts only).

The file holds members' names, employee numbers and completions (never anything anyone wrote).
It is kept only until it expires (``HOPE_REPORT_EXPORT_HOURS``) and only the organisation admin
who asked for it can download it, while they still administer the organisation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from learning.export_files import export_file_expire
from learning.models import Organisation, User
from learning.permissions import can_view_organisation_reports
from learning.queue import enqueue_on_commit
from learning.services import audit_record
from modules.esr.csv import esr_csv
from modules.esr.models import EsrExport
from modules.esr.selectors import esr_completion_rows

Status = EsrExport.Status


class EsrExportExpired(Exception):
    """The export is past its expiry time, failed or not ready: there is no file to give."""


def _lifetime() -> timedelta:
    return timedelta(hours=settings.HOPE_REPORT_EXPORT_HOURS)


def _period(export: EsrExport) -> dict[str, str]:
    return {
        "date_from": export.date_from.isoformat() if export.date_from else "",
        "date_to": export.date_to.isoformat() if export.date_to else "",
    }


@transaction.atomic
def esr_export_request(
    *,
    actor: User,
    organisation: Organisation,
    date_from: date | None = None,
    date_to: date | None = None,
) -> EsrExport:
    """Ask for the organisation's completions as an ESR CSV; a task builds it after commit."""
    if not can_view_organisation_reports(actor, organisation):
        raise PermissionDenied
    if date_from and date_to and date_from > date_to:
        raise ValueError("the period ends before it starts")
    now = timezone.now()
    esr_exports_expire(now=now)
    export = EsrExport.objects.create(
        requested_by=actor,
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        created_at=now,
        expires_at=now + _lifetime(),
    )
    audit_record(
        action="esr.export_requested",
        actor=actor,
        target=export,
        organisation=organisation,
        data=_period(export),
    )
    from modules.esr.tasks import esr_export_build_task

    enqueue_on_commit(esr_export_build_task, export.pk)
    return export


def esr_export_build(*, export_id: int) -> None:
    """Build the CSV. Safe to run twice: a finished export is left alone, and a run cut short
    (a worker lost) is simply done again."""
    claimed = EsrExport.objects.filter(
        pk=export_id, status__in=[Status.PENDING, Status.RUNNING]
    ).update(status=Status.RUNNING, progress=10)
    if not claimed:
        return
    export = EsrExport.objects.select_related("organisation").get(pk=export_id)
    try:
        rows = esr_completion_rows(
            export.organisation, date_from=export.date_from, date_to=export.date_to
        )
        content = esr_csv(rows)
    except Exception:
        EsrExport.objects.filter(pk=export_id).update(status=Status.FAILED, progress=100)
        raise
    EsrExport.objects.filter(pk=export_id).update(progress=60)
    name = f"esr-{export.organisation.slug}-{timezone.localdate().isoformat()}-{export.pk}.csv"
    with transaction.atomic():
        export = EsrExport.objects.select_for_update().get(pk=export_id)
        if export.status != Status.RUNNING:
            return
        if export.file:
            export.file.delete(save=False)
        export.file.save(name, ContentFile(content.encode("utf-8")), save=False)
        export.status = Status.READY
        export.progress = 100
        export.rows = len(rows)
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "progress", "rows", "finished_at"])
        audit_record(
            action="esr.export_ready",
            actor=None,
            target=export,
            organisation=export.organisation,
            data={"rows": export.rows},
        )


def esr_export_download(*, actor: User, export: EsrExport) -> bytes:
    """The CSV's bytes for the person who asked for it (``export`` comes from the scoped
    selector). Past its expiry the file is deleted (committed) and ``EsrExportExpired`` raised."""
    if export.requested_by_id != actor.pk:
        raise PermissionDenied
    if export.status == Status.EXPIRED:
        raise EsrExportExpired
    if export.expires_at <= timezone.now():
        with transaction.atomic():
            export_file_expire(export)
            audit_record(
                action="esr.export_expired",
                actor=actor,
                target=export,
                organisation=export.organisation,
                data={},
            )
        raise EsrExportExpired
    if export.status != Status.READY:
        raise EsrExportExpired
    with transaction.atomic():
        with export.file.open("rb") as fh:
            content = fh.read()
        audit_record(
            action="esr.export_downloaded",
            actor=actor,
            target=export,
            organisation=export.organisation,
            data={"rows": export.rows},
        )
    return content


def esr_exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of every ESR export past its expiry (run whenever one is asked for).
    Returns how many expired."""
    now = now or timezone.now()
    due = list(
        EsrExport.objects.filter(
            expires_at__lte=now, status__in=[Status.PENDING, Status.RUNNING, Status.READY]
        ).select_related("organisation")
    )
    for export in due:
        export_file_expire(export)
        audit_record(
            action="esr.export_expired",
            actor=None,
            target=export,
            organisation=export.organisation,
            data={},
        )
    return len(due)
