"""The revalidation portfolio's pages: the CPD record gathered from every source, and external
CPD logged, changed, deleted and its evidence downloaded by its owner only."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.formviews import call_service
from learning.submissions import once_per_submission
from reflection.portfolio import selectors, services
from reflection.portfolio.forms import ExternalCpdForm

EVIDENCE_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


@login_required
@require_GET
def portfolio_cpd(request):
    record = selectors.portfolio_cpd_record(request.user)
    return render(request, "reflection/portfolio/cpd.html", {"record": record})


def _initial(item) -> dict:
    return {
        "done_on": item.done_on,
        "title": item.title,
        "kind": item.kind,
        "hours": round(item.minutes / 60, 2),
        "participatory": "yes" if item.participatory else "no",
        "learnt": item.learnt,
        "practice_change": item.practice_change,
        "themes": item.themes,
    }


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def external_cpd_new(request):
    form = ExternalCpdForm(request.POST or None, request.FILES or None)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            lambda: services.external_cpd_create(owner=request.user, **form.service_kwargs()),
            fields={"minutes": "hours"},
        )
        if result.ok:
            messages.success(request, _("Your CPD is added to your record."))
            return redirect("portfolio_cpd")
        extra = result.context
    return render(
        request,
        "reflection/portfolio/external_cpd_form.html",
        {"form": form, "item": None, **extra},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def external_cpd_edit(request, item_id: int):
    item = selectors.external_cpd_get(request.user, item_id)
    form = ExternalCpdForm(request.POST or None, request.FILES or None, initial=_initial(item))
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            lambda: services.external_cpd_update(
                owner=request.user,
                item=item,
                remove_evidence=form.cleaned_data["remove_evidence"],
                **form.service_kwargs(),
            ),
            fields={"minutes": "hours"},
        )
        if result.ok:
            messages.success(request, _("Your CPD is saved."))
            return redirect("portfolio_cpd")
        extra = result.context
    return render(
        request,
        "reflection/portfolio/external_cpd_form.html",
        {"form": form, "item": item, **extra},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def external_cpd_delete(request, item_id: int):
    item = selectors.external_cpd_get(request.user, item_id)
    if request.method == "POST":
        services.external_cpd_delete(owner=request.user, item=item)
        messages.success(request, _("The CPD is deleted from your record."))
        return redirect("portfolio_cpd")
    return render(request, "reflection/portfolio/external_cpd_delete.html", {"item": item})


@login_required
@require_GET
def external_cpd_evidence(request, item_id: int):
    """The evidence file, to its owner only (anyone else: 404), as a download."""
    item = selectors.external_cpd_get(request.user, item_id)
    if not item.evidence:
        raise Http404
    suffix = PurePath(item.evidence.name).suffix.lower()
    response = FileResponse(
        item.evidence.open("rb"),
        as_attachment=True,
        filename=item.evidence_name,
        content_type=EVIDENCE_CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
