"""Sharing a summary for sign-off, and the supervisor's queue and decisions. Thin views: every
read goes through a scoped selector, so anyone the request is not for gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.formviews import call_service
from learning.links import link_for_each
from learning.middleware import client_ip
from learning.submissions import once_per_submission
from reflection.journal import selectors
from reflection.signoff import selectors as signoff_selectors
from reflection.signoff import services as signoff_services
from reflection.signoff.forms import DecisionForm, ShareForm
from reflection.signoff.models import SignOffRequest

QUEUE_SIZE = signoff_selectors.QUEUE_SIZE  # a page of each list on the sign-off page


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def journal_share(request, entry_id: int):
    entry = get_object_or_404(selectors.journal_entries_visible_to(request.user), pk=entry_id)
    supervisors = signoff_selectors.supervisors_for(request.user)
    form = ShareForm(request.POST if request.method == "POST" else None, supervisors=supervisors)
    context = {"entry": entry, "form": form, "has_summary": bool((entry.summary or "").strip())}
    if request.method == "GET":
        return render(request, "reflection/signoff/share.html", context)
    if form.is_valid():
        result = call_service(
            form,
            lambda: signoff_services.signoff_request_create(
                author=request.user,
                entry=entry,
                supervisor=form.cleaned_data["supervisor"],
                note=form.cleaned_data["note"],
                confirm_identifiers=form.cleaned_data["confirm_identifiers"],
                ip_address=client_ip(request),
            ),
            labels={"summary": _("Learning summary")},
        )
        if result.ok:
            messages.success(
                request,
                _(
                    "Your learning summary has been shared. Your supervisor can see the "
                    "summary only."
                ),
            )
            return redirect("journal_detail", entry_id=entry.pk)
        context.update(result.context)
    return render(request, "reflection/signoff/share.html", context, status=400)


@login_required
@require_GET
def signoff_queue(request):
    """Three lists, each paged on its own by keyset: requests waiting for the person's decision
    (the longest waiting first, so none is pushed off the page by newer ones), those they have
    decided (newest first) and the summaries they have shared (newest first)."""
    context = signoff_selectors.signoff_queue_pages(
        request.user, {name: request.GET.get(name) for name in ("waiting", "decided", "shared")}
    )
    # Each row's link from one resolved URL (learning/links.py), not a {% url %} per row.
    detail_url = link_for_each("signoff_detail", vary="request_id")
    for page in context.values():
        for row in page.items:
            row.detail_url = detail_url(row.pk)
    return render(request, "reflection/signoff/queue.html", context)


def _decide(request, signoff, action: str, comment: str) -> str:
    """Sign off, return or reopen; the message to show when it is done."""
    ip = client_ip(request)
    if action == "sign":
        signoff_services.signoff_sign(
            supervisor=request.user, request=signoff, comment=comment, ip_address=ip
        )
        return _("You have signed off this reflection.")
    if action == "return":
        signoff_services.signoff_return(
            supervisor=request.user, request=signoff, comment=comment, ip_address=ip
        )
        return _("You have returned this reflection with a comment.")
    signoff_services.signoff_reopen(
        supervisor=request.user, request=signoff, reason=comment, ip_address=ip
    )
    return _("You have reopened this sign-off.")


@login_required
@require_http_methods(["GET", "POST"])
def signoff_detail(request, request_id: int):
    signoff, as_supervisor = signoff_selectors.signoff_request_for(request.user, request_id)
    if signoff is None:
        raise Http404
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not as_supervisor:
            raise Http404
        status = 400
        if form.is_valid():
            action = form.cleaned_data["action"]
            comment = form.cleaned_data["comment"]
            result = call_service(
                form,
                lambda: _decide(request, signoff, action, comment),
                fields={"reason": "comment"},
            )
            if result.ok:
                messages.success(request, result.value)
                return redirect("signoff_detail", request_id=signoff.pk)
    elif as_supervisor:
        signoff_services.signoff_view_record(
            supervisor=request.user, request=signoff, ip_address=client_ip(request)
        )
    return render(
        request,
        "reflection/signoff/detail.html",
        {
            "signoff": signoff,
            "as_supervisor": as_supervisor,
            "form": form,
            "Status": SignOffRequest.Status,
        },
        status=status,
    )


def signoff_dashboard_panel(request) -> dict | None:
    """ "Waiting for your sign-off: N" on My home, for supervisors (one query, none for anyone
    without the supervisor role)."""
    from learning.models import Role
    from learning.permissions import is_signed_in, roles_for

    if not is_signed_in(request.user) or not roles_for(request.user).has_role(Role.SUPERVISOR):
        return None
    waiting = signoff_selectors.signoff_waiting_count(request.user)
    return {
        "template": "reflection/signoff/dashboard_panel.html",
        "context": {"waiting": waiting, "cap": signoff_selectors.WAITING_CAP},
    }
