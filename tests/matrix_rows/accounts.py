"""Permission-matrix rows for a person's own account: "Your details", the language switcher
and "Stay signed in" (see tests/matrix_rows/__init__.py). The switcher is open to everyone
(it keeps the choice in the browser, and on the account for someone signed in); the others
are about the signed-in person only."""

from __future__ import annotations

from django.urls import reverse

from . import Row, everyone, signed_in

ROWS: list[Row] = [
    Row("account_details", lambda c: reverse("account_details"), signed_in(200)),
    Row(
        "account_details",
        lambda c: reverse("account_details"),
        signed_in(302),
        method="post",
        data={"display_name": "Matrix Person"},
    ),
    Row(
        "language_switch",
        lambda c: reverse("language_switch", kwargs={"code": "cy"}) + "?next=/",
        everyone(302),
    ),
    Row(
        "language_switch",
        lambda c: reverse("language_switch", kwargs={"code": "cy"}),
        everyone(405),
        method="post",
    ),
    Row("session_extend", lambda c: reverse("session_extend"), everyone(405)),
    Row(
        "session_extend",
        lambda c: reverse("session_extend"),
        signed_in(200, anonymous=401, deactivated=401),
        method="post",
    ),
]


def extend_context(ctx: dict) -> None:
    """Nothing to add: these rows need no objects."""
