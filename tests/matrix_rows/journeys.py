"""Permission-matrix rows for finishing a module and inviting colleagues in bulk (see
tests/matrix_rows/__init__.py).

"Module complete" belongs to the person who completed the module: anyone else signed in is sent
to the module's page (302), as is someone who has not finished it."""

from __future__ import annotations

from django.urls import reverse

from . import Row, signed_in


def _invite(key: str):
    return lambda c: reverse("organisation_invite_bulk", kwargs={"slug": c[key].slug})


def _complete(c: dict) -> str:
    return reverse("module_complete", args=[c["completed_module"].pk])


ROWS: list[Row] = [
    Row("module_complete", _complete, signed_in(302, practitioner=200)),
    Row("module_complete", lambda c: reverse("module_complete", args=[999999]), signed_in(404)),
    Row("module_complete", _complete, signed_in(405), method="post"),
    # Inviting several colleagues: that organisation's admins only; the answer is a report.
    Row("organisation_invite_bulk", _invite("organisation"), signed_in(404, org_admin=200)),
    Row(
        "organisation_invite_bulk",
        _invite("organisation"),
        signed_in(404, org_admin=200),
        method="post",
        data={"addresses": "bulk-matrix@example.nhs.uk", "role": "practitioner"},
    ),
    Row("organisation_invite_bulk", _invite("other_organisation"), signed_in(404)),
]


def extend_context(ctx: dict) -> None:
    """The practitioner has completed a module of its own (lessons and check)."""
    from tests.module_factories import complete_module, make_module

    ctx["completed_module"] = complete_module(
        ctx["people"]["practitioner"], make_module(lessons=1), before=2, after=4
    )
