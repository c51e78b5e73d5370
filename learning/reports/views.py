"""Thin views for reports: parse the filters, fetch through a scoped selector, build one section
and render it beside its chart; exports are asked for here and built by a task."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from learning.permissions import can_view_any_reports, can_view_national_reports, roles_for
from learning.ratelimit import rate_limit_message
from learning.reports import selectors, services
from learning.reports.charts import chart_svg
from learning.reports.forms import ReportPeriodForm
from learning.reports.models import ReportExport
from learning.reports.registry import get_section, national_sections, organisation_sections

PAGE_SIZE = 50


@login_required
@require_GET
def reports_index(request):
    if not can_view_any_reports(request.user):
        raise Http404
    roles = roles_for(request.user)
    return render(
        request,
        "learning/reports/index.html",
        {
            "organisations": sorted(
                roles.organisations_with_role("org_admin"), key=lambda o: o.name
            ),
            "national": can_view_national_reports(request.user),
        },
    )


def _filter_form(data):
    return ReportPeriodForm(data if data else None)


def _section_page(request, *, sections, national: bool, organisation=None):
    form = _filter_form(request.GET)
    period = form.dates()
    key = request.GET.get("section") or (sections[0].key if sections else "")
    section = get_section(key, national=national)
    if section is None:
        raise Http404
    if national:
        group_by = form.group_by_value()
        table = section.build_national(
            date_from=period.date_from, date_to=period.date_to, group_by=group_by
        )
    else:
        group_by = "kind"
        table = section.build(
            organisation,
            date_from=period.date_from,
            date_to=period.date_to,
            after=request.GET.get("after"),
            limit=PAGE_SIZE,
        )
    chart = chart_svg(table.chart, chart_id=f"chart-{section.key}") if table.chart else None
    return {
        "form": form,
        "period": period,
        "group_by": group_by,
        "sections": sections,
        "section": section,
        "table": table,
        "chart": chart,
        "page": table,  # for the keyset pagination include
        "organisation": organisation,
        "national": national,
        "chosen_period": form.chosen(),
    }


@login_required
@require_GET
def report_organisation(request, slug: str):
    organisation = selectors.report_organisation_for(request.user, slug)
    context = _section_page(
        request, sections=organisation_sections(), national=False, organisation=organisation
    )
    context["export_url"] = reverse("report_organisation_export", args=[organisation.slug])
    return render(request, "learning/reports/report.html", context)


@login_required
@require_GET
def report_national(request):
    selectors.require_national(request.user)
    context = _section_page(request, sections=national_sections(), national=True)
    context["export_url"] = reverse("report_national_export")
    return render(request, "learning/reports/report.html", context)


def _request_export(request, organisation):
    form = _filter_form(request.POST)
    period = form.dates()
    key = request.POST.get("section", "")
    if get_section(key, national=organisation is None) is None:
        raise Http404
    limited = rate_limit_message(request.user, "export")
    if limited:
        messages.error(request, limited)
        if organisation is None:
            return redirect("report_national")
        return redirect("report_organisation", slug=organisation.slug)
    export = services.report_export_request(
        actor=request.user,
        organisation=organisation,
        section_key=key,
        date_from=period.date_from,
        date_to=period.date_to,
        group_by=form.group_by_value(),
    )
    return redirect("report_export_detail", export_id=export.pk)


@login_required
@require_POST
def report_organisation_export(request, slug: str):
    organisation = selectors.report_organisation_for(request.user, slug)
    return _request_export(request, organisation)


@login_required
@require_POST
def report_national_export(request):
    selectors.require_national(request.user)
    return _request_export(request, None)


def _expired(export: ReportExport) -> bool:
    return export.status == ReportExport.Status.EXPIRED or export.expires_at <= timezone.now()


@login_required
@require_GET
def report_export_detail(request, export_id: int):
    export = selectors.report_export_for(request.user, export_id)
    section = get_section(export.section_key, national=export.is_national)
    return render(
        request,
        "learning/reports/export.html",
        {"export": export, "section": section, "expired": _expired(export)},
    )


@login_required
@require_GET
def report_export_status(request, export_id: int):
    export = selectors.report_export_for(request.user, export_id)
    ready = export.status == ReportExport.Status.READY and not _expired(export)
    return JsonResponse(
        {
            "status": export.status,
            "progress": export.progress,
            "ready": ready,
            "download_url": reverse("report_export_download", args=[export.pk]) if ready else "",
        }
    )


@login_required
@require_GET
def report_export_download(request, export_id: int):
    export = selectors.report_export_for(request.user, export_id)
    if export.status in (ReportExport.Status.PENDING, ReportExport.Status.RUNNING) and not (
        _expired(export)
    ):
        return redirect("report_export_detail", export_id=export.pk)
    try:
        content = services.report_export_download(actor=request.user, export=export)
    except services.ExportExpired:
        return render(
            request,
            "learning/reports/export.html",
            {"export": export, "expired": True, "section": None},
            status=410,
        )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"{export.section_key}-{export.created_at:%Y-%m-%d}-{export.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
