"""Permission-matrix rows for the revalidation portfolio (see tests/matrix_rows/__init__.py).

A person's external CPD, its evidence file, their feedback and their reflective discussions are
theirs alone: the matrix's practitioner owns the entries; everyone else signed in, organisation
admins and superusers included, gets 404. A discussion's confirm page is the confirmer's only
(the matrix's supervisor). The task list, the pack and the declaration are each person's own.
"""

from __future__ import annotations

from django.urls import reverse

from tests.data_builders import builds_test_data
from tests.portfolio_factories import make_discussion, make_external_cpd, make_feedback

from . import Row, signed_in


def owner(status: int) -> dict[str, int]:
    return signed_in(404, practitioner=status)


@builds_test_data
def matrix_external_cpd(ctx: dict):
    if "external_cpd" not in ctx:
        ctx["external_cpd"] = make_external_cpd(ctx["people"]["practitioner"], evidence=True)
    return ctx["external_cpd"]


@builds_test_data
def matrix_deletable_cpd(ctx: dict):
    """A second entry, for the row that deletes it."""
    if "external_cpd_deletable" not in ctx:
        ctx["external_cpd_deletable"] = make_external_cpd(
            ctx["people"]["practitioner"], title="To delete"
        )
    return ctx["external_cpd_deletable"]


@builds_test_data
def matrix_feedback(ctx: dict):
    if "practice_feedback" not in ctx:
        ctx["practice_feedback"] = make_feedback(ctx["people"]["practitioner"])
    return ctx["practice_feedback"]


@builds_test_data
def matrix_editable_feedback(ctx: dict):
    """A second piece of feedback, for the rows that change it (the first is deleted)."""
    if "practice_feedback_editable" not in ctx:
        ctx["practice_feedback_editable"] = make_feedback(ctx["people"]["practitioner"])
    return ctx["practice_feedback_editable"]


@builds_test_data
def matrix_discussion(ctx: dict):
    """A discussion the practitioner asked their supervisor to confirm."""
    if "reflective_discussion" not in ctx:
        people = ctx["people"]
        ctx["reflective_discussion"] = make_discussion(people["practitioner"], people["supervisor"])
    return ctx["reflective_discussion"]


@builds_test_data
def matrix_deletable_discussion(ctx: dict):
    if "reflective_discussion_deletable" not in ctx:
        people = ctx["people"]
        ctx["reflective_discussion_deletable"] = make_discussion(
            people["practitioner"], people["supervisor"], confirmed=True
        )
    return ctx["reflective_discussion_deletable"]


def _url(name, getter):
    return lambda c: reverse(name, args=[getter(c).pk])


ROWS: list[Row] = [
    Row("portfolio_home", lambda c: reverse("portfolio_home"), signed_in(200)),
    Row("portfolio_home", lambda c: reverse("portfolio_home"), signed_in(405), method="post"),
    Row("revalidation_declaration", lambda c: reverse("revalidation_declaration"), signed_in(200)),
    Row(
        "revalidation_declaration",
        lambda c: reverse("revalidation_declaration"),
        signed_in(400),
        method="post",
        data={"practice_hours": "many"},
    ),
    Row("feedback_list", lambda c: reverse("feedback_list"), signed_in(200)),
    Row("feedback_list", lambda c: reverse("feedback_list"), signed_in(405), method="post"),
    Row("feedback_new", lambda c: reverse("feedback_new"), signed_in(200)),
    Row("feedback_new", lambda c: reverse("feedback_new"), signed_in(400), method="post"),
    Row("feedback_delete", _url("feedback_delete", matrix_feedback), owner(200)),
    Row("feedback_delete", _url("feedback_delete", matrix_feedback), owner(302), method="post"),
    Row("feedback_edit", _url("feedback_edit", matrix_editable_feedback), owner(200)),
    # an empty form: told what to fix
    Row(
        "feedback_edit",
        _url("feedback_edit", matrix_editable_feedback),
        owner(400),
        method="post",
    ),
    Row("revalidation_pack", lambda c: reverse("revalidation_pack"), signed_in(200)),
    Row("revalidation_pack", lambda c: reverse("revalidation_pack"), signed_in(405), method="post"),
    Row("discussion_home", lambda c: reverse("discussion_home"), signed_in(200)),
    Row("discussion_home", lambda c: reverse("discussion_home"), signed_in(405), method="post"),
    Row("discussion_new", lambda c: reverse("discussion_new"), signed_in(200)),
    Row("discussion_new", lambda c: reverse("discussion_new"), signed_in(400), method="post"),
    # only the colleague asked to confirm (the supervisor here) sees it; the owner too gets 404
    Row(
        "discussion_confirm",
        _url("discussion_confirm", matrix_discussion),
        signed_in(404, supervisor=200),
    ),
    Row(
        "discussion_confirm",
        _url("discussion_confirm", matrix_discussion),
        signed_in(404, supervisor=400),
        method="post",
    ),
    Row("discussion_delete", _url("discussion_delete", matrix_deletable_discussion), owner(200)),
    Row(
        "discussion_delete",
        _url("discussion_delete", matrix_deletable_discussion),
        owner(302),
        method="post",
    ),
    Row("portfolio_cpd", lambda c: reverse("portfolio_cpd"), signed_in(200)),
    Row("portfolio_cpd", lambda c: reverse("portfolio_cpd"), signed_in(405), method="post"),
    Row("external_cpd_new", lambda c: reverse("external_cpd_new"), signed_in(200)),
    # an empty form: told what to fix
    Row("external_cpd_new", lambda c: reverse("external_cpd_new"), signed_in(400), method="post"),
    Row("external_cpd_edit", _url("external_cpd_edit", matrix_external_cpd), owner(200)),
    Row(
        "external_cpd_edit",
        _url("external_cpd_edit", matrix_external_cpd),
        owner(400),
        method="post",
    ),
    Row(
        "external_cpd_edit",
        lambda c: reverse("external_cpd_edit", args=[999999]),
        signed_in(404),
    ),
    Row("external_cpd_evidence", _url("external_cpd_evidence", matrix_external_cpd), owner(200)),
    Row(
        "external_cpd_evidence",
        _url("external_cpd_evidence", matrix_external_cpd),
        signed_in(405),
        method="post",
    ),
    Row("external_cpd_delete", _url("external_cpd_delete", matrix_deletable_cpd), owner(200)),
    Row(
        "external_cpd_delete",
        _url("external_cpd_delete", matrix_deletable_cpd),
        owner(302),
        method="post",
    ),
]


def extend_context(ctx: dict) -> None:
    """Nothing up front: the entries are made the first time a row needs them."""
