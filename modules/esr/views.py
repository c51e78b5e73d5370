"""Thin views for the ESR export: the organisation admin's form, then a page that shows the
task's progress and the download. Another organisation's pages are a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from learning.ratelimit import rate_limit_message
from modules.esr import selectors, services
from modules.esr.forms import EsrExportForm
from modules.esr.models import EsrExport


@login_required
@require_http_methods(["GET", "POST"])
def esr_export_view(request, slug: str):
    organisation = selectors.esr_organisation_for(request.user, slug)
    form = EsrExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        limited = rate_limit_message(request.user, "export")
        if limited:
            messages.error(request, limited)
            return redirect("esr_export", slug=organisation.slug)
        export = services.esr_export_request(
            actor=request.user,
            organisation=organisation,
            date_from=form.cleaned_data.get("date_from"),
            date_to=form.cleaned_data.get("date_to"),
        )
        return redirect("esr_export_detail", slug=organisation.slug, export_id=export.pk)
    return render(
        request,
        "modules/esr/form.html",
        {"organisation": organisation, "form": form},
        status=400 if form.is_bound else 200,
    )


def _expired(export: EsrExport) -> bool:
    return export.status == EsrExport.Status.EXPIRED or export.expires_at <= timezone.now()


def _export(request, slug: str, export_id: int) -> EsrExport:
    export = selectors.esr_export_for(request.user, export_id)
    if export.organisation.slug != slug:
        raise Http404
    return export


@login_required
@require_GET
def esr_export_detail(request, slug: str, export_id: int):
    export = _export(request, slug, export_id)
    return render(
        request,
        "modules/esr/export.html",
        {"export": export, "organisation": export.organisation, "expired": _expired(export)},
    )


@login_required
@require_GET
def esr_export_status(request, slug: str, export_id: int):
    export = _export(request, slug, export_id)
    ready = export.status == EsrExport.Status.READY and not _expired(export)
    url = reverse("esr_export_download", args=[slug, export.pk]) if ready else ""
    return JsonResponse(
        {"status": export.status, "progress": export.progress, "ready": ready, "download_url": url}
    )


@login_required
@require_GET
def esr_export_download(request, slug: str, export_id: int):
    export = _export(request, slug, export_id)
    if export.status in (EsrExport.Status.PENDING, EsrExport.Status.RUNNING) and not (
        _expired(export)
    ):
        return redirect("esr_export_detail", slug=slug, export_id=export.pk)
    try:
        content = services.esr_export_download(actor=request.user, export=export)
    except services.EsrExportExpired:
        return render(
            request,
            "modules/esr/export.html",
            {"export": export, "organisation": export.organisation, "expired": True},
            status=410,
        )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"esr-{export.organisation.slug}-{export.created_at:%Y-%m-%d}-{export.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
