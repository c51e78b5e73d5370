"""The person's own shared portfolios: the list, a new share (its link shown once), a share's
page with its opening log, and revoking it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.formviews import call_service
from learning.site_url import absolute_url
from reflection.shares import selectors, services
from reflection.shares.forms import ShareForm


@login_required
@require_GET
def share_list(request):
    return render(
        request,
        "reflection/shares/list.html",
        {"shares": selectors.shares_of(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_new(request):
    """A POST that works answers with the link itself, once: the token is never stored, so it
    cannot be shown again (the person revokes the share and makes a new one instead)."""
    form = ShareForm(request.POST or None, owner=request.user)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            lambda: services.share_create(owner=request.user, **form.service_kwargs()),
            labels={"recipient_name": _("Who it is for"), "recipient_role": _("Their role")},
        )
        if result.ok:
            share, token = result.value
            return render(
                request,
                "reflection/shares/created.html",
                {
                    "share": share,
                    "link": absolute_url(reverse("shared_portfolio", args=[token])),
                },
            )
        extra = result.context
    return render(
        request,
        "reflection/shares/new.html",
        {"form": form, **extra},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def share_detail(request, share_id: int):
    share = selectors.share_get(request.user, share_id)
    return render(
        request,
        "reflection/shares/detail.html",
        {
            "share": share,
            "openings": selectors.share_openings(share),
            "opened": selectors.share_opened_count(share),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_revoke(request, share_id: int):
    share = selectors.share_get(request.user, share_id)
    if request.method == "POST":
        services.share_revoke(owner=request.user, share=share)
        messages.success(request, _("The link is turned off. Nobody can open it now."))
        return redirect("share_detail", share_id=share.pk)
    return render(request, "reflection/shares/revoke.html", {"share": share})
