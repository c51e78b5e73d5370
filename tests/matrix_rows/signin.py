"""Permission-matrix rows for work-account sign-in (see tests/matrix_rows/__init__.py).

The work email step is for people not signed in (anyone signed in is sent to "My home"); the
re-check only starts from a session the re-check middleware just closed; the back-channel
logout endpoint answers providers only (no provider is configured in the matrix: 404)."""

from __future__ import annotations

from django.urls import reverse

from . import Row, everyone

ANON = {"anonymous": 200, "deactivated": 200}


def _logout(ctx):
    return reverse("oidc_backchannel_logout", kwargs={"provider_id": "no-such-provider"})


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
]


def extend_context(ctx: dict) -> None:
    """Nothing to add: these rows need no objects."""
