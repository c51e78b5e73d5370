"""Builders for journal entries used by tests (not the demo seed)."""

from __future__ import annotations

import json
from datetime import date

from reflection.models import JournalEntry

from .data_builders import builds_test_data

SENTINEL = "SENTINEL-7c1e-private-reflection-text"


@builds_test_data
def make_entry(author, **overrides) -> JournalEntry:
    fields = {
        "title": "A hard day in clinic",
        "experienced_on": date(2026, 1, 15),
        "tags": "court, supervision",
        "model": "gibbs",
        "body_json": json.dumps(
            {"description": f"<p>What happened. {SENTINEL}</p>", "feelings": "<p>Heavy.</p>"}
        ),
        "summary": "<p>I will ask for supervision sooner.</p>",
    }
    fields.update(overrides)
    return JournalEntry.objects.create(author=author, **fields)


@builds_test_data
def practitioner_entry(ctx: dict) -> JournalEntry:
    """The practitioner's own entry for the permission matrix (made once per context)."""
    if "journal_entry" not in ctx:
        ctx["journal_entry"] = make_entry(ctx["people"]["practitioner"])
    return ctx["journal_entry"]


@builds_test_data
def signoff_matrix_request(ctx: dict):
    """A pending sign-off request from the matrix's practitioner to its supervisor (made once
    per context), on an entry of its own."""
    from reflection.signoff import services as signoff_services

    if "signoff_request" not in ctx:
        people = ctx["people"]
        ctx["signoff_request"] = signoff_services.signoff_request_create(
            author=people["practitioner"],
            entry=make_entry(people["practitioner"]),
            supervisor=people["supervisor"],
            note="",
        )
    return ctx["signoff_request"]


@builds_test_data
def signoff_matrix_entry(ctx: dict) -> JournalEntry:
    return signoff_matrix_request(ctx).entry


@builds_test_data
def signed_matrix_request(ctx: dict):
    """A second request from the matrix's practitioner, already signed off by its supervisor."""
    from reflection.signoff import services as signoff_services

    if "signed_request" not in ctx:
        people = ctx["people"]
        request = signoff_services.signoff_request_create(
            author=people["practitioner"],
            entry=make_entry(people["practitioner"]),
            supervisor=people["supervisor"],
            note="",
        )
        ctx["signed_request"] = signoff_services.signoff_sign(
            supervisor=people["supervisor"], request=request, comment=""
        )
    return ctx["signed_request"]
