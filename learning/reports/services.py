"""Writes for reports: asking for an export, building it, handing it over and expiring it.
Each checks permission, changes state and writes an audit row (identifiers only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from learning.export_files import export_file_expire
from learning.language import in_language_of
from learning.models import Organisation, User
from learning.permissions import can_view_national_reports, can_view_organisation_reports
from learning.queue import enqueue_on_commit
from learning.reports.csv_export import table_csv
from learning.reports.models import ReportExport
from learning.reports.periods import period_allowed
from learning.reports.registry import get_section
from learning.services import audit_record

Status = ReportExport.Status


class ExportExpired(Exception):
    """The export is past its expiry time: its file has been deleted."""


def export_lifetime() -> timedelta:
    return timedelta(hours=settings.HOPE_REPORT_EXPORT_HOURS)


@transaction.atomic
def report_export_request(
    *,
    actor: User,
    organisation: Organisation | None,
    section_key: str,
    date_from: date,
    date_to: date,
    group_by: str = "kind",
) -> ReportExport:
    """Ask for one section's table as CSV; a task builds it after the transaction commits."""
    national = organisation is None
    allowed = (
        can_view_national_reports(actor)
        if national
        else can_view_organisation_reports(actor, organisation)
    )
    if not allowed:
        raise PermissionDenied
    if get_section(section_key, national=national) is None:
        raise ValueError(f"unknown report section {section_key!r}")
    if not period_allowed(date_from, date_to):
        # Only a whole month or quarter that has ended: two periods a day apart would let one
        # figure be taken from the other.
        raise ValueError(f"not a whole month or quarter that has ended: {date_from}–{date_to}")
    now = timezone.now()
    report_exports_expire(now=now)
    export = ReportExport.objects.create(
        requested_by=actor,
        organisation=organisation,
        section_key=section_key,
        filters={
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "group_by": group_by,
        },
        created_at=now,
        expires_at=now + export_lifetime(),
    )
    audit_record(
        action="report.export_requested",
        actor=actor,
        target=export,
        organisation=organisation,
        data={"section": section_key, **export.filters},
    )
    from learning.reports.tasks import report_export_build_task

    enqueue_on_commit(report_export_build_task, export.pk)
    return export


def report_export_build(*, export_id: int) -> None:
    """Build the CSV. Safe to run twice: a finished export is left alone, and a run cut short
    (a worker lost) is simply done again."""
    claimed = ReportExport.objects.filter(
        pk=export_id, status__in=[Status.PENDING, Status.RUNNING]
    ).update(status=Status.RUNNING, progress=10)
    if not claimed:
        return
    export = ReportExport.objects.select_related("organisation", "requested_by").get(pk=export_id)
    section = get_section(export.section_key, national=export.is_national)
    f = export.filters
    period = {
        "date_from": date.fromisoformat(f["date_from"]),
        "date_to": date.fromisoformat(f["date_to"]),
    }
    try:
        # Built in a task: the headings, notes and words in the language of who asked for it.
        with in_language_of(export.requested_by):
            if export.is_national:
                table = section.build_national(**period, group_by=f.get("group_by", "kind"))
            else:
                table = section.build(export.organisation, **period)
            text = table_csv(table)
    except Exception:
        ReportExport.objects.filter(pk=export_id).update(status=Status.FAILED, progress=100)
        raise
    ReportExport.objects.filter(pk=export_id).update(progress=60)
    stamp = timezone.localdate().isoformat()
    name = f"{export.section_key}-{stamp}-{export.pk}.csv"
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().get(pk=export_id)
        if export.status != Status.RUNNING:
            return
        if export.file:
            export.file.delete(save=False)
        export.file.save(name, ContentFile(text.encode("utf-8")), save=False)
        export.status = Status.READY
        export.progress = 100
        export.rows = len(table.rows)
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "progress", "rows", "finished_at"])
        audit_record(
            action="report.export_ready",
            actor=None,
            target=export,
            organisation=export.organisation,
            data={"section": export.section_key, "rows": export.rows},
        )


def report_export_download(*, actor: User, export: ReportExport) -> bytes:
    """The CSV's bytes for the person who asked for it (``export`` comes from the scoped
    selector). Past its expiry the file is deleted (committed) and ``ExportExpired`` raised."""
    if export.requested_by_id != actor.pk:
        raise PermissionDenied
    if export.status == Status.EXPIRED:
        raise ExportExpired
    if export.expires_at <= timezone.now():
        with transaction.atomic():
            export_file_expire(export)
            audit_record(
                action="report.export_expired",
                actor=actor,
                target=export,
                organisation=export.organisation,
                data={"section": export.section_key},
            )
        raise ExportExpired
    if export.status != Status.READY:
        raise ExportExpired
    with transaction.atomic():
        with export.file.open("rb") as fh:
            content = fh.read()
        audit_record(
            action="report.export_downloaded",
            actor=actor,
            target=export,
            organisation=export.organisation,
            data={"section": export.section_key, "rows": export.rows},
        )
    return content


def report_exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of every export past its expiry (no beat needed: run whenever an export
    is asked for or downloaded). Returns how many expired."""
    now = now or timezone.now()
    due = list(
        ReportExport.objects.filter(
            expires_at__lte=now, status__in=[Status.PENDING, Status.RUNNING, Status.READY]
        )
    )
    for export in due:
        export_file_expire(export)
        audit_record(
            action="report.export_expired",
            actor=None,
            target=export,
            organisation=export.organisation,
            data={"section": export.section_key},
        )
    return len(due)
