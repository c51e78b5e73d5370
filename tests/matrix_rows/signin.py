"""Permission-matrix rows for work-account sign-in (see tests/matrix_rows/__init__.py).

The work email step is for people not signed in (anyone signed in is sent to "My home"); the
re-check only starts from a session the re-check middleware just closed; the back-channel
logout endpoint answers providers only (404 for a provider that is not configured). The
front-channel logout page answers anyone, signed in or not (the provider's page frames it in
the person's browser): a provider is configured for it, at an address never asked (``sid``
alone, as Microsoft Entra ID sends it, needs no discovery)."""

from __future__ import annotations

from django.urls import reverse

from . import Row, everyone

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
]


def extend_context(ctx: dict) -> None:
    """The front-channel rows' provider, configured as HOPE_OIDC_PROVIDERS would be."""
    ctx["settings"].HOPE_OIDC_PROVIDERS = [MATRIX_PROVIDER]
