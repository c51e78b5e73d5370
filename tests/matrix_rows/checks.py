"""Permission-matrix rows for the end-of-module check's review (see tests/matrix_rows/__init__.py).

A review is of one submitted attempt and only the person who made it may see it: everyone else
gets the same 404 as for an attempt that does not exist (superusers included: it is a learner's
own page, not an administration one). The review only exists after submission."""

from __future__ import annotations

from django.urls import reverse

from . import Row, signed_in


def _review(key: str):
    return lambda c: reverse("module_check_review", args=[c["module"].pk, c[key]])


ROWS: list[Row] = [
    Row("module_check_review", _review("check_attempt"), signed_in(404, practitioner=200)),
    Row("module_check_review", _review("missing_attempt"), signed_in(404)),
    Row(
        "module_check_review",
        _review("check_attempt"),
        signed_in(405),
        method="post",
    ),
]


def extend_context(ctx: dict) -> None:
    """The practitioner has submitted one attempt at the matrix module's check."""
    from tests.module_factories import answer_module_check

    attempt = answer_module_check(ctx["people"]["practitioner"], ctx["module"], right=False)
    ctx["check_attempt"] = attempt.pk
    ctx["missing_attempt"] = attempt.pk + 1000
