"""Organisation admins' email domains page: the domains linked to their organisation (with
remove), the confirmation links waiting, and asking for a new one; and the page the
confirmation link opens. The rules are in ``learning.signin.domains``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning import selectors as core_selectors
from learning.formviews import call_service
from learning.signin import domains, selectors
from learning.signin.forms import DomainClaimForm


def _administered(request, slug: str):
    organisation = core_selectors.administered_organisation(request.user, slug)
    if organisation is None:
        raise Http404
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def organisation_domains(request, slug: str):
    organisation = _administered(request, slug)
    form = DomainClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            lambda: domains.domain_claim_create(
                actor=request.user,
                organisation=organisation,
                domain=form.cleaned_data["domain"],
                email=form.cleaned_data["email"],
            ),
        )
        if result.ok:
            messages.success(
                request,
                _(
                    "We sent a link to %(email)s. Open it while signed in here, within "
                    "%(days)s days, to link %(domain)s."
                )
                % {
                    "email": result.value.email,
                    "days": settings.HOPE_DOMAIN_CLAIM_DAYS,
                    "domain": result.value.domain,
                },
            )
            return redirect("organisation_domains", slug=organisation.slug)
    return render(
        request,
        "learning/signin/domains.html",
        {
            "organisation": organisation,
            "form": form,
            "linked": selectors.organisation_domains(organisation),
            "pending": selectors.domain_claims_pending(organisation)[:20],
            "provider_set": bool(organisation.signin_provider),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_domain_remove(request, slug: str, domain_id: int):
    organisation = _administered(request, slug)
    link = get_object_or_404(
        selectors.organisation_domains(organisation).filter(require_provider=False), pk=domain_id
    )
    domains.domain_unlink(actor=request.user, link=link)
    messages.success(
        request,
        _("%(domain)s is no longer linked to %(org)s.")
        % {"domain": link.domain, "org": organisation.name},
    )
    return redirect("organisation_domains", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def domain_claim_confirm(request, token: str):
    """The link from the email. Opening it changes nothing (mail scanners open links): the
    admin confirms with a button."""
    try:
        claim = domains.domain_claim_for_link(token=token, user=request.user)
        if request.method == "POST":
            link = domains.domain_claim_confirm(actor=request.user, token=token)
            messages.success(
                request,
                _("%(domain)s is now linked to %(org)s.")
                % {"domain": link.domain, "org": claim.organisation.name},
            )
            return redirect("organisation_domains", slug=claim.organisation.slug)
    except domains.DomainClaimError as exc:
        return render(
            request, "learning/signin/domain_claim_invalid.html", {"message": str(exc)}, status=400
        )
    return render(request, "learning/signin/domain_claim_confirm.html", {"claim": claim})
