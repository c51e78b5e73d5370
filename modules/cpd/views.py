"""The CPD record page and its CSV and PDF exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from learning.records import record_links
from modules import pdf
from modules.cpd import selectors as cpd

EXPORT_FORMATS = ("csv", "pdf")


def _filename(extension: str) -> str:
    return f"cpd-record-{timezone.localdate().isoformat()}.{extension}"


@login_required
@require_GET
def cpd_record(request):
    export = request.GET.get("format", "")
    if export and export not in EXPORT_FORMATS:
        return render(request, "modules/cpd/format_error.html", status=400)
    record = cpd.cpd_record_for(request.user, details=export == "csv", external=bool(export))
    if export == "csv":
        # The byte order mark lets spreadsheet programs read the file as UTF-8.
        response = HttpResponse(
            "\ufeff" + cpd.cpd_csv(record), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
        return response
    if export == "pdf":
        # The registration number only where the person chose to show it.
        body = pdf.cpd_record_pdf(
            record=record,
            holder_name=request.user.get_full_name(),
            registration=request.user.registration_shown(),
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
        return response
    return render(request, "modules/cpd/record.html", {"record": record, "links": record_links()})
