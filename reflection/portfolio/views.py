"""The revalidation portfolio's pages: the CPD record gathered from every source, and external
CPD logged, changed, deleted and its evidence downloaded by its owner only."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.formviews import call_service
from learning.submissions import once_per_submission
from reflection.portfolio import held, selectors, services
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
        "peer_reflection": "yes" if item.peer_reflection else "no",
        "peer_name": item.peer_name,
        "peer_role": item.peer_role,
        "peer_summary": item.peer_summary,
    }


def _save(request, form, service) -> tuple[bool, dict]:
    """Run ``service`` with the form's values and, if the page has to be shown again (the
    identifier check, the safeguarding prompt or an error), keep the evidence file the person
    chose so that they need not choose it again. Returns whether it saved, and the context."""
    token = request.POST.get("evidence_held", "")
    upload = request.FILES.get("evidence")
    held_file = None
    if form.is_valid():
        kwargs = form.service_kwargs()
        if upload is None and token:
            held_file = held.evidence_held_open(owner=request.user, token=token)
            kwargs["evidence"] = held_file
        try:
            result = call_service(form, lambda: service(**kwargs), fields={"minutes": "hours"})
        finally:
            if held_file is not None:
                held_file.close()
        if result.ok:
            if held_file is not None:
                held.evidence_held_release(owner=request.user, token=token)
            return True, {}
        extra = dict(result.context)
    else:
        extra = {}
    name = ""
    if upload is not None and "evidence" not in form.errors:
        try:
            token, name = held.evidence_hold(owner=request.user, upload=upload)
        except ValidationError as exc:
            token = ""
            form.add_error("evidence", exc.message_dict.get("evidence", exc.messages))
    elif upload is None and token:
        name = held.evidence_held_name(owner=request.user, token=token)
    return False, {**extra, "held_token": token if name else "", "held_name": name}


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def external_cpd_new(request):
    form = ExternalCpdForm(request.POST or None, request.FILES or None)
    extra: dict = {}
    if request.method == "POST":
        saved, extra = _save(
            request,
            form,
            lambda **kwargs: services.external_cpd_create(owner=request.user, **kwargs),
        )
        if saved:
            messages.success(request, _("Your CPD is added to your record."))
            return redirect("portfolio_cpd")
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
    if request.method == "POST":
        saved, extra = _save(
            request,
            form,
            lambda **kwargs: services.external_cpd_update(
                owner=request.user,
                item=item,
                remove_evidence=form.cleaned_data["remove_evidence"],
                **kwargs,
            ),
        )
        if saved:
            messages.success(request, _("Your CPD is saved."))
            return redirect("portfolio_cpd")
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
