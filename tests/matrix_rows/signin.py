"""Permission-matrix rows for work-account sign-in (see tests/matrix_rows/__init__.py).

The work email step is for people not signed in (anyone signed in is sent to "My home"); the
re-check only starts from a session the re-check middleware just closed; the back-channel
logout endpoint answers providers only (404 for a provider that is not configured). The
front-channel logout page answers anyone, signed in or not (the provider's page frames it in
the person's browser): a provider is configured for it, at an address never asked (``sid``
alone, as Microsoft Entra ID sends it, needs no discovery). An organisation's email domains
page, and removing a domain, are for its admins; a domain's confirmation link is for the admin
who asked for it."""

from __future__ import annotations

from django.urls import reverse

from . import Row, everyone, signed_in

ANON = {"anonymous": 200, "deactivated": 200}


def _logout(ctx):
    return reverse("oidc_backchannel_logout", kwargs={"provider_id": "no-such-provider"})


MATRIX_PROVIDER = {
    "id": "mx",
    "name": "Matrix work account",
    "server_url": "https://login.matrix.invalid/tenant/v2.0",
    "client_id": "matrix-client",
}


def _frontchannel(ctx):
    return reverse("oidc_frontchannel_logout", kwargs={"provider_id": MATRIX_PROVIDER["id"]})


FRONT = {"sid": "matrix"}


def _domains(ctx):
    return reverse("organisation_domains", kwargs={"slug": ctx["organisation"].slug})


def _other_domains(ctx):
    return reverse("organisation_domains", kwargs={"slug": ctx["other_organisation"].slug})


def _domain_remove(ctx):
    return reverse(
        "organisation_domain_remove",
        kwargs={"slug": ctx["organisation"].slug, "domain_id": ctx["linked_domain"].pk},
    )


def _claim_confirm(ctx):
    from learning.signin.domains import domain_claim_token_make

    return reverse("domain_claim_confirm", kwargs={"token": domain_claim_token_make(ctx["claim"])})


ROWS: list[Row] = [
    Row("signin_work", lambda c: reverse("signin_work"), everyone(302, **ANON)),
    Row(
        "signin_work",
        lambda c: reverse("signin_work"),
        everyone(302, anonymous=400, deactivated=400),  # no provider for this domain
        method="post",
        data={"email": "someone@matrix.example"},
    ),
    Row("signin_work_recheck", lambda c: reverse("signin_work_recheck"), everyone(302)),
    Row("oidc_backchannel_logout", _logout, everyone(405)),
    Row("oidc_backchannel_logout", _logout, everyone(404), method="post"),
    Row("oidc_frontchannel_logout", _frontchannel, everyone(200), data=FRONT),
    Row("oidc_frontchannel_logout", _frontchannel, everyone(405), method="post", data=FRONT),
    # An organisation's email domains: its admins only (another organisation's: 404 for all).
    Row("organisation_domains", _domains, signed_in(404, org_admin=200)),
    Row(
        "organisation_domains",
        _domains,
        signed_in(404, org_admin=302),
        method="post",
        data={"domain": "matrix-add.nhs.test", "email": "it@matrix-add.nhs.test"},
    ),
    Row("organisation_domains", _other_domains, signed_in(404)),
    Row("organisation_domain_remove", _domain_remove, signed_in(405)),
    Row("organisation_domain_remove", _domain_remove, signed_in(404, org_admin=302), method="post"),
    # The confirmation link: the admin who asked for it, signed in; anyone else is told why not.
    Row("domain_claim_confirm", _claim_confirm, signed_in(400, org_admin=200)),
    Row("domain_claim_confirm", _claim_confirm, signed_in(400, org_admin=302), method="post"),
]


def extend_context(ctx: dict) -> None:
    """The front-channel rows' provider, configured as HOPE_OIDC_PROVIDERS would be."""
    from datetime import timedelta

    from django.utils import timezone

    from learning.models import DomainClaim, OrganisationEmailDomain

    ctx["settings"].HOPE_OIDC_PROVIDERS = [MATRIX_PROVIDER]
    ctx["linked_domain"] = OrganisationEmailDomain.objects.create(
        organisation=ctx["organisation"], domain="matrix-linked.nhs.test"
    )
    now = timezone.now()
    ctx["claim"] = DomainClaim.objects.create(
        organisation=ctx["organisation"],
        domain="matrix-claim.nhs.test",
        email="it@matrix-claim.nhs.test",
        requested_by=ctx["people"]["org_admin"],
        nonce="matrix-nonce",
        created_at=now,
        expires_at=now + timedelta(days=3),
    )
