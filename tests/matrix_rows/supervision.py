"""Permission-matrix rows for supervision URLs (see tests/matrix_rows/__init__.py).

Supervision records are party-only: the matrix's practitioner (supervisee) and supervisor are
the two parties; everyone else, organisation admins and superusers included, gets 404.
"""

from __future__ import annotations

from django.urls import reverse

from tests.supervision_factories import (
    matrix_action,
    matrix_calendar_token,
    matrix_confirmable_session,
    matrix_locked_session,
    matrix_relationship,
    matrix_session,
)

from . import Row, everyone, signed_in


def parties(status: int, *, practitioner: int | None = None, supervisor: int | None = None):
    """404 for everyone signed in but the two parties (anonymous and deactivated: sign-in)."""
    return signed_in(
        404,
        practitioner=status if practitioner is None else practitioner,
        supervisor=status if supervisor is None else supervisor,
    )


def _url(name, getter):
    return lambda c: reverse(name, args=[getter(c).pk])


def _new_for(c):
    return reverse("supervision_new") + f"?relationship={matrix_relationship(c).pk}"


def _feed(c):
    return reverse("supervision_calendar") + f"?token={matrix_calendar_token(c)}"


ROWS: list[Row] = [
    Row("supervision_home", lambda c: reverse("supervision_home"), signed_in(200)),
    Row("supervision_home", lambda c: reverse("supervision_home"), signed_in(405), method="post"),
    # recording a session
    Row("supervision_new", lambda c: reverse("supervision_new"), signed_in(200)),
    Row("supervision_new", _new_for, parties(200)),
    Row(
        "supervision_new",
        _new_for,
        parties(400),  # an empty record for their relationship: told what to fix
        method="post",
    ),
    Row(
        "supervision_new",
        lambda c: reverse("supervision_new") + "?relationship=999999",
        signed_in(404),
    ),
    # one record
    Row("supervision_detail", _url("supervision_detail", matrix_session), parties(200)),
    Row(
        "supervision_detail", lambda c: reverse("supervision_detail", args=[999999]), signed_in(404)
    ),
    Row(
        "supervision_detail",
        _url("supervision_detail", matrix_session),
        signed_in(405),
        method="post",
    ),
    Row("supervision_edit", _url("supervision_edit", matrix_session), parties(404, supervisor=200)),
    Row(
        "supervision_edit",
        _url("supervision_edit", matrix_session),
        parties(404, supervisor=400),
        method="post",
    ),
    # a locked record cannot be changed by anyone
    Row("supervision_edit", _url("supervision_edit", matrix_locked_session), signed_in(404)),
    Row(
        "supervision_edit",
        _url("supervision_edit", matrix_locked_session),
        signed_in(404),
        method="post",
    ),
    Row("supervision_confirm", _url("supervision_confirm", matrix_session), parties(200)),
    Row(
        "supervision_confirm",
        _url("supervision_confirm", matrix_session),
        parties(400),  # no decision chosen
        method="post",
    ),
    Row(
        "supervision_confirm",
        _url("supervision_confirm", matrix_locked_session),
        parties(400),  # already locked: the party is told, nothing changes
        method="post",
        data={"decision": "change", "comment": "Please change it."},
    ),
    Row(
        "supervision_confirm",
        _url("supervision_confirm", matrix_confirmable_session),
        parties(302, supervisor=404),  # only the other party confirms
        method="post",
        data={"decision": "confirm"},
    ),
    Row(
        "supervision_checkin",
        _url("supervision_checkin", matrix_session),
        parties(404, practitioner=200),
    ),
    Row(
        "supervision_checkin",
        _url("supervision_checkin", matrix_session),
        parties(404, practitioner=400),
        method="post",
    ),
    Row(
        "supervision_checkin",
        _url("supervision_checkin", matrix_locked_session),
        parties(404, practitioner=400),  # locked: the check-in can no longer change
        method="post",
        data={"workload": "3", "emotional_impact": "3", "support": "3"},
    ),
    Row(
        "supervision_addendum", _url("supervision_addendum", matrix_locked_session), signed_in(405)
    ),
    Row(
        "supervision_addendum",
        _url("supervision_addendum", matrix_locked_session),
        parties(400),  # nothing written
        method="post",
    ),
    Row(
        "supervision_addendum",
        _url("supervision_addendum", matrix_session),
        parties(404),  # not locked yet: the writer changes the record instead
        method="post",
        data={"text": "A later note."},
    ),
    # relationships
    Row(
        "supervision_relationship_new",
        lambda c: reverse("supervision_relationship_new"),
        signed_in(200),
    ),
    Row(
        "supervision_relationship_new",
        lambda c: reverse("supervision_relationship_new"),
        signed_in(400),
        method="post",
    ),
    Row(
        "supervision_relationship",
        _url("supervision_relationship", matrix_relationship),
        parties(200),
    ),
    Row(
        "supervision_relationship",
        _url("supervision_relationship", matrix_relationship),
        parties(400),  # no action chosen
        method="post",
    ),
    Row(
        "supervision_relationship",
        lambda c: reverse("supervision_relationship", args=[999999]),
        signed_in(404),
    ),
    # exports
    Row("supervision_export", lambda c: reverse("supervision_export"), signed_in(200)),
    Row(
        "supervision_export",
        lambda c: reverse("supervision_export"),
        signed_in(200),
        data={"format": "csv"},
    ),
    Row(
        "supervision_export",
        lambda c: reverse("supervision_export"),
        signed_in(200),
        data={"format": "pdf", "summaries": "on"},
    ),
    Row(
        "supervision_export",
        lambda c: reverse("supervision_export"),
        signed_in(400),
        data={"format": "xls"},
    ),
    Row(
        "supervision_export", lambda c: reverse("supervision_export"), signed_in(405), method="post"
    ),
    # the organisation view: its own organisation admins only
    Row(
        "supervision_organisation",
        lambda c: reverse("supervision_organisation", args=[c["organisation"].slug]),
        signed_in(404, org_admin=200),
    ),
    Row(
        "supervision_organisation",
        lambda c: reverse("supervision_organisation", args=[c["other_organisation"].slug]),
        signed_in(404),
    ),
    Row(
        "supervision_organisation",
        lambda c: reverse("supervision_organisation", args=["no-such-org"]),
        signed_in(404),
    ),
    Row(
        "supervision_organisation",
        lambda c: reverse("supervision_organisation", args=[c["organisation"].slug]),
        signed_in(405),
        method="post",
    ),
    # the calendar feed: the secret link, no sign-in
    Row("supervision_calendar", _feed, everyone(200)),
    Row("supervision_calendar", lambda c: reverse("supervision_calendar"), everyone(404)),
    Row(
        "supervision_calendar",
        lambda c: reverse("supervision_calendar") + "?token=not-a-real-token",
        everyone(404),
    ),
    Row("supervision_calendar", _feed, everyone(405), method="post"),
    # Last rows: completing an action and the calendar settings (which replace the token).
    Row(
        "supervision_action_done",
        _url("supervision_action_done", matrix_action),
        signed_in(405),
    ),
    Row(
        "supervision_action_done",
        _url("supervision_action_done", matrix_action),
        parties(302),
        method="post",
    ),
    Row(
        "supervision_calendar_settings",
        lambda c: reverse("supervision_calendar_settings"),
        signed_in(200),
    ),
    Row(
        "supervision_calendar_settings",
        lambda c: reverse("supervision_calendar_settings"),
        signed_in(302),
        method="post",
        data={"action": "revoke"},
    ),
    Row(
        "supervision_calendar_settings",
        lambda c: reverse("supervision_calendar_settings"),
        signed_in(200),
        method="post",
        data={"action": "regenerate"},
    ),
]


def extend_context(ctx: dict) -> None:
    """The relationship between the matrix's practitioner and supervisor, its records, an
    action and the practitioner's calendar token."""
    matrix_relationship(ctx)
    matrix_session(ctx)
    matrix_locked_session(ctx)
    matrix_confirmable_session(ctx)
    matrix_action(ctx)
    matrix_calendar_token(ctx)
