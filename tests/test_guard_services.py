"""Every service that runs the identifier guard refuses until the writer confirms, then writes
the same audit field: the sorted kinds confirmed, never the text."""

from __future__ import annotations

from datetime import date

import pytest

from learning.guard import AUDIT_FIELD, IdentifiersFound
from learning.models import AuditEvent
from reflection.journal import services as journal_services
from reflection.models import JournalEntry, SignOffRequest
from reflection.signoff import services as signoff_services
from reflection.supervision import checkins, sessions
from reflection.supervision.models import SupervisionCheckIn

from .community_factories import SpaceFactory, member, reply, thread
from .journal_factories import make_entry
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db

NHS_NUMBER = "943 476 5919"
POSTCODE = "SW1A 1AA"
TEXT = f"Her NHS number is {NHS_NUMBER} and she lives near {POSTCODE}."
KINDS = ["nhs_number", "postcode"]


def _guarded(call, **kwargs):
    """The call refused without confirmation (naming what was found), then accepted with it."""
    with pytest.raises(IdentifiersFound) as excinfo:
        call(**kwargs)
    assert {m.kind for matches in excinfo.value.found.values() for m in matches} == set(KINDS)
    return call(**kwargs, confirm_identifiers=True)


def _audit(action: str) -> dict:
    data = AuditEvent.objects.get(action=action).data
    assert data[AUDIT_FIELD] == KINDS
    assert [k for k in data if "identif" in k] == [AUDIT_FIELD]  # one field, one name
    assert NHS_NUMBER not in repr(data) and POSTCODE not in repr(data)
    return data


def _entry_fields(**overrides):
    return {
        "title": "A hard day in clinic",
        "experienced_on": date(2026, 1, 15),
        "model": "rolfe",
        "sections": {"what": TEXT},
        **overrides,
    }


def test_journal_entry_create_and_edit(people):
    author = people["practitioner"]
    entry = _guarded(journal_services.journal_entry_create, author=author, **_entry_fields())
    assert JournalEntry.objects.count() == 1 and entry.identifier_check_confirmed_at
    _audit("journal_entry.created")
    _guarded(
        journal_services.journal_entry_update,
        actor=author,
        entry=entry,
        **_entry_fields(sections={"what": "Plain now."}, summary=TEXT),
    )
    _audit("journal_entry.updated")


def test_community_thread_and_reply():
    space = SpaceFactory()
    writer = member(space).user
    opened = _guarded(thread, space=space, author=writer, body=TEXT)
    assert opened.posts.get().identifiers_confirmed
    _audit("community.thread_created")
    post = _guarded(reply, thread=opened, author=writer, body=TEXT)
    assert post.identifiers_confirmed
    _audit("community.reply_created")


def test_supervision_checkin_and_change_request():
    rel = make_relationship()
    answers = {"workload": 3, "emotional_impact": 3, "support": 3}
    session = make_session(rel)
    _guarded(
        checkins.checkin_save, supervisee=rel.supervisee, session=session, notes=TEXT, **answers
    )
    assert SupervisionCheckIn.objects.filter(session=session).exists()
    _audit("supervision.checkin_saved")
    _guarded(
        sessions.session_request_change,
        actor=rel.supervisee,
        session=make_session(rel),
        comment=TEXT,
    )
    _audit("supervision.session_change_requested")


def test_signoff_share_guards_the_summary_and_the_note(people):
    entry = make_entry(people["practitioner"], summary=f"<p>NHS number {NHS_NUMBER}.</p>")
    fields = {
        "author": people["practitioner"],
        "entry": entry,
        "supervisor": people["supervisor"],
        "note": f"Near {POSTCODE}.",
    }
    with pytest.raises(IdentifiersFound) as excinfo:
        signoff_services.signoff_request_create(**fields)
    assert set(excinfo.value.found) == {"summary", "note"}
    assert excinfo.value.texts["summary"] == f"NHS number {NHS_NUMBER}."  # as text, not HTML
    assert not SignOffRequest.objects.exists()
    signoff_services.signoff_request_create(**fields, confirm_identifiers=True)
    _audit("signoff.shared")
