"""Permission-matrix rows for shared portfolios (see tests/matrix_rows/__init__.py).

A person's shares are theirs alone: the matrix's practitioner owns them; everyone else signed
in, organisation admins and superusers included, gets 404. The shared page and its evidence
file need no account: everyone gets them through an active token, and the same 404 through an
unknown one.
"""

from __future__ import annotations

from django.urls import reverse

from tests.data_builders import builds_test_data
from tests.portfolio_factories import make_external_cpd
from tests.share_factories import make_share

from . import Row, everyone, signed_in


def owner(status: int) -> dict[str, int]:
    return signed_in(404, practitioner=status)


@builds_test_data
def matrix_share(ctx: dict):
    """The practitioner's active share, with an evidence file ticked: (share, token, item)."""
    if "share" not in ctx:
        item = make_external_cpd(
            ctx["people"]["practitioner"], title="Perinatal study day", evidence=True
        )
        share, token = make_share(ctx["people"]["practitioner"], evidence=[item])
        ctx["share"] = (share, token, item)
    return ctx["share"]


@builds_test_data
def matrix_revocable_share(ctx: dict):
    """A second share, for the row that revokes it."""
    if "share_revocable" not in ctx:
        ctx["share_revocable"] = make_share(ctx["people"]["practitioner"])[0]
    return ctx["share_revocable"]


def _detail(c):
    return reverse("share_detail", args=[matrix_share(c)[0].pk])


def _revoke(c):
    return reverse("share_revoke", args=[matrix_revocable_share(c).pk])


def _public(c):
    return reverse("shared_portfolio", args=[matrix_share(c)[1]])


def _evidence(c):
    _share, token, item = matrix_share(c)
    return reverse("shared_evidence", args=[token, item.pk])


UNKNOWN = "unknown-token-unknown-token-unknown-token-00"

ROWS: list[Row] = [
    Row("share_list", lambda c: reverse("share_list"), signed_in(200)),
    Row("share_list", lambda c: reverse("share_list"), signed_in(405), method="post"),
    Row("share_new", lambda c: reverse("share_new"), signed_in(200)),
    # an empty form: told what to fix
    Row("share_new", lambda c: reverse("share_new"), signed_in(400), method="post"),
    Row("share_detail", _detail, owner(200)),
    Row("share_detail", _detail, signed_in(405), method="post"),
    Row("share_detail", lambda c: reverse("share_detail", args=[999999]), signed_in(404)),
    Row("share_revoke", _revoke, owner(200)),
    Row("share_revoke", _revoke, owner(302), method="post"),
    Row("shared_portfolio", _public, everyone(200)),
    Row("shared_portfolio", _public, everyone(405), method="post"),
    Row("shared_portfolio", lambda c: reverse("shared_portfolio", args=[UNKNOWN]), everyone(404)),
    Row("shared_evidence", _evidence, everyone(200)),
    Row("shared_evidence", _evidence, everyone(405), method="post"),
    Row(
        "shared_evidence",
        lambda c: reverse("shared_evidence", args=[UNKNOWN, 1]),
        everyone(404),
    ),
]


def extend_context(ctx: dict) -> None:
    """Nothing up front: the shares are made the first time a row needs them."""
