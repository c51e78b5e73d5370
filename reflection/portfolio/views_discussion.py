"""The NMC reflective discussion: recorded by the person, confirmed by a colleague on the NMC
register who has an account here (``reflection.portfolio.discussion``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.formviews import call_service
from learning.middleware import client_ip
from learning.ratelimit import rate_limit_message
from learning.submissions import once_per_submission
from reflection.portfolio import discussion
from reflection.portfolio.forms import DiscussionConfirmForm, DiscussionForm

LIST_MAX = 20


@login_required
@require_GET
def discussion_home(request):
    return render(
        request,
        "reflection/portfolio/discussion_home.html",
        {
            "items": list(discussion.discussions_of(request.user)[:LIST_MAX]),
            "to_confirm": list(
                discussion.discussions_to_confirm(request.user).filter(
                    status=discussion.Status.PENDING
                )[:LIST_MAX]
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def discussion_new(request):
    form = DiscussionForm(request.POST or None)
    extra: dict = {}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            # Counted only when an address would be looked up.
            limited = rate_limit_message(request.user, "discussion")
            if limited:
                form.add_error(None, limited)
                status = 429
            else:
                d = form.cleaned_data
                result = call_service(
                    form,
                    lambda: discussion.discussion_request(
                        owner=request.user,
                        discussed_on=d["discussed_on"],
                        partner_name=d["partner_name"],
                        summary=d["summary"],
                        confirmer_email=d["confirmer_email"],
                        confirm_identifiers=d["confirm_identifiers"],
                        ip_address=client_ip(request),
                    ),
                )
                if result.ok:
                    messages.success(
                        request, _("We have asked your colleague to confirm the discussion.")
                    )
                    return redirect("discussion_home")
                extra = result.context
    return render(
        request,
        "reflection/portfolio/discussion_form.html",
        {"form": form, **extra},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def discussion_confirm(request, item_id: int):
    """The colleague asked to confirm (anyone else: 404) reads the frozen record and confirms
    it with their NMC PIN."""
    item = get_object_or_404(discussion.discussions_to_confirm(request.user), pk=item_id)
    form = DiscussionConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = call_service(
                form,
                lambda: discussion.discussion_confirm(
                    confirmer=request.user,
                    item=item,
                    registration_number=form.cleaned_data["registration_number"],
                    ip_address=client_ip(request),
                ),
            )
            if result.ok:
                messages.success(request, _("You have confirmed the reflective discussion."))
                return redirect("discussion_confirm", item_id=item.pk)
    return render(
        request,
        "reflection/portfolio/discussion_confirm.html",
        {"item": item, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def discussion_delete(request, item_id: int):
    item = get_object_or_404(discussion.discussions_of(request.user), pk=item_id)
    if request.method == "POST":
        discussion.discussion_delete(owner=request.user, item=item)
        messages.success(request, _("The reflective discussion is deleted."))
        return redirect("discussion_home")
    return render(request, "reflection/portfolio/discussion_delete.html", {"item": item})
