"""Supervision session records: recording, the identifier guard, encryption at rest, dual
confirmation and locking (through every service and view), addenda, actions carried over and
the restorative check-in's privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from learning.guard import IdentifiersFound
from learning.models import AuditEvent
from reflection.supervision import checkins, selectors, sessions
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionAddendum,
    SupervisionCheckIn,
    SupervisionSession,
    SupervisionTheme,
)
from reflection.supervision.sessions import ActionInput, SessionInput

from .factories import UserFactory
from .supervision_factories import SENTINEL, make_action, make_relationship, make_session

pytestmark = pytest.mark.django_db

NHS_NUMBER = "943 476 5919"


def data(**overrides) -> SessionInput:
    fields = {
        "held_on": timezone.localdate() - timedelta(days=1),
        "duration_minutes": 60,
        "format": "one_to_one",
        "functions": frozenset({"restorative"}),
        "summary": f"We talked about the week. {SENTINEL}",
        "actions": (ActionInput(text=f"Book leave. {SENTINEL}", owner="supervisee"),),
    }
    fields.update(overrides)
    return SessionInput(**fields)


@pytest.fixture
def rel():
    return make_relationship()


def test_the_writer_records_a_session_and_the_other_party_is_asked_to_confirm(
    rel, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("learning.notify.notify", lambda **kw: sent.append(kw))
    theme = SupervisionTheme.objects.get(name="Moral injury")
    with django_capture_on_commit_callbacks(execute=True):
        session = sessions.session_create(
            author=rel.supervisor, relationship=rel, data=data(theme_ids=(theme.pk,))
        )
    assert session.status == SupervisionSession.Status.SUBMITTED
    assert [t.name for t in session.themes.all()] == ["Moral injury"]
    action = SupervisionAction.objects.get()
    assert action.owner == rel.supervisee and action.relationship == rel
    assert [s["recipient"] for s in sent] == [rel.supervisee]
    # notify() is given the message unevaluated; written out, it holds no session content.
    written = [str(s["message"]() if callable(s["message"]) else s["message"]) for s in sent]
    assert written and all(SENTINEL not in text for text in written)
    event = AuditEvent.objects.get(action="supervision.session_recorded")
    assert event.data == {"relationship_id": rel.pk, "identifier_kinds": []}


def test_summaries_actions_and_checkins_are_encrypted_at_rest(rel):
    session = sessions.session_create(author=rel.supervisor, relationship=rel, data=data())
    checkins.checkin_save(
        supervisee=rel.supervisee,
        session=session,
        workload=3,
        emotional_impact=3,
        support=3,
        notes=f"Tired. {SENTINEL}",
    )
    with connection.cursor() as cursor:
        for table in (
            "reflection_supervisionsession",
            "reflection_supervisionaction",
            "reflection_supervisioncheckin",
            "learning_auditevent",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            assert SENTINEL not in repr(cursor.fetchall()), table


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": None}, "held_on"),
        ({"held_on": timezone.localdate() + timedelta(days=2)}, "held_on"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"format": "séance"}, "format"),
        ({"functions": frozenset()}, "functions"),
        ({"attendance_only": True}, "attendance_only"),
        ({"next_on": timezone.localdate() - timedelta(days=5)}, "next_on"),
        ({"attendee_emails": ("nobody@example.nhs.uk",), "format": "group"}, "attendees"),
        ({"theme_ids": (999999,)}, "themes"),
    ],
)
def test_invalid_records_say_what_to_fix(rel, overrides, field):
    with pytest.raises(ValidationError) as exc:
        sessions.session_create(author=rel.supervisor, relationship=rel, data=data(**overrides))
    assert field in exc.value.message_dict
    assert not SupervisionSession.objects.exists()


def test_group_and_attendance_only_records(rel):
    member = UserFactory()
    group = sessions.session_create(
        author=rel.supervisee,
        relationship=rel,
        data=data(format="group", attendee_emails=(member.email.upper(),), external_attendees=3),
    )
    assert list(group.attendees.all()) == [member] and group.external_attendees == 3
    round_ = sessions.session_create(
        author=rel.supervisee,
        relationship=rel,
        data=data(format="round", attendance_only=True, summary="", actions=(), functions=()),
    )
    assert round_.attendance_only and round_.summary == "" and not round_.actions.exists()


def test_the_identifier_guard_highlights_then_records_only_the_decision(client, rel):
    with pytest.raises(IdentifiersFound) as exc:
        sessions.session_create(
            author=rel.supervisor, relationship=rel, data=data(summary=f"NHS {NHS_NUMBER}")
        )
    assert list(exc.value.found) == ["summary"]
    client.force_login(rel.supervisor)
    post = {
        "relationship": rel.pk,
        "held_on": str(timezone.localdate()),
        "duration_minutes": "50",
        "format": "one_to_one",
        "functions": ["formative"],
        "summary": f"Discussed {NHS_NUMBER} by mistake.",
    }
    response = client.post(reverse("supervision_new"), post)
    assert response.status_code == 400
    body = response.content.decode()
    assert '<mark class="hope-identifier">' in body and "Discussed" in body  # kept, highlighted
    response = client.post(reverse("supervision_new"), {**post, "confirm_identifiers": "on"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="supervision.session_recorded")
    assert event.data["identifier_kinds"] == ["nhs_number"]
    assert NHS_NUMBER not in repr(event.data)


def test_the_guard_covers_change_comments_and_checkin_notes(rel):
    """Both are kept and shown to the other party (the check-in when shared), so a likely
    identifier is highlighted first; the audit row records only the kinds confirmed."""
    session = make_session(rel)
    with pytest.raises(IdentifiersFound) as exc:
        sessions.session_request_change(
            actor=rel.supervisee, session=session, comment=f"Remove {NHS_NUMBER}."
        )
    assert list(exc.value.found) == ["comment"]
    session.refresh_from_db()
    assert session.status == "submitted" and session.change_comment == ""
    sessions.session_request_change(
        actor=rel.supervisee,
        session=session,
        comment=f"Remove {NHS_NUMBER}.",
        confirm_identifiers=True,
    )
    event = AuditEvent.objects.get(action="supervision.session_change_requested")
    assert event.data["identifier_kinds"] == ["nhs_number"]

    other = make_session(rel)
    answers = {"workload": 3, "emotional_impact": 3, "support": 3}
    with pytest.raises(IdentifiersFound) as exc:
        checkins.checkin_save(
            supervisee=rel.supervisee, session=other, notes=f"About {NHS_NUMBER}.", **answers
        )
    assert list(exc.value.found) == ["notes"]
    assert not SupervisionCheckIn.objects.filter(session=other).exists()
    checkins.checkin_save(
        supervisee=rel.supervisee,
        session=other,
        notes=f"About {NHS_NUMBER}.",
        confirm_identifiers=True,
        **answers,
    )
    event = AuditEvent.objects.get(action="supervision.checkin_saved")
    assert event.data == {"shared": False, "identifier_kinds": ["nhs_number"]}
    for event in AuditEvent.objects.all():
        assert NHS_NUMBER not in repr(event.data)


def test_the_guard_on_the_confirm_and_checkin_pages_keeps_the_text(client, rel):
    session = make_session(rel)
    client.force_login(rel.supervisee)
    confirm = reverse("supervision_confirm", args=[session.pk])
    post = {"decision": "change", "comment": f"Please take out {NHS_NUMBER}."}
    response = client.post(confirm, post)
    assert response.status_code == 400
    body = response.content.decode()
    assert '<mark class="hope-identifier">' in body and "Please take out" in body
    assert "These are not identifying details" in body
    assert client.post(confirm, {**post, "confirm_identifiers": "on"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "changes_requested"

    checkin = reverse("supervision_checkin", args=[session.pk])
    post = {"workload": "4", "emotional_impact": "4", "support": "4", "notes": NHS_NUMBER}
    response = client.post(checkin, post)
    assert response.status_code == 400
    body = response.content.decode()
    assert '<mark class="hope-identifier">' in body and "<title>Error:" in body
    assert not SupervisionCheckIn.objects.exists()
    response = client.post(checkin, {**post, "confirm_identifiers": "on"})
    assert response.status_code == 302
    assert SupervisionCheckIn.objects.get().notes == NHS_NUMBER


def test_only_parties_to_an_active_relationship_record_sessions(rel):
    with pytest.raises(PermissionDenied):
        sessions.session_create(author=UserFactory(), relationship=rel, data=data())
    ended = make_relationship(status="ended")
    with pytest.raises(PermissionDenied):
        sessions.session_create(author=ended.supervisor, relationship=ended, data=data())


def test_dual_confirmation_locks_the_record(rel):
    session = sessions.session_create(author=rel.supervisor, relationship=rel, data=data())
    with pytest.raises(PermissionDenied):  # the writer cannot confirm their own record
        sessions.session_confirm(actor=rel.supervisor, session=session)
    with pytest.raises(PermissionDenied):
        sessions.session_confirm(actor=UserFactory(), session=session)
    sessions.session_request_change(actor=rel.supervisee, session=session, comment="Add a date.")
    session.refresh_from_db()
    assert session.status == "changes_requested"
    with pytest.raises(PermissionDenied):  # nothing to confirm until the writer changes it
        sessions.session_confirm(actor=rel.supervisee, session=session)
    session = sessions.session_update(actor=rel.supervisor, session=session, data=data())
    assert session.status == "submitted" and session.revision == 2 and session.change_comment == ""
    sessions.session_confirm(actor=rel.supervisee, session=session)
    session.refresh_from_db()
    assert session.is_locked and session.locked_at is not None
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))[-3:] == [
        "supervision.session_change_requested",
        "supervision.session_changed",
        "supervision.session_confirmed",
    ]


def test_a_change_request_needs_a_comment(rel):
    session = make_session(rel)
    with pytest.raises(ValidationError) as exc:
        sessions.session_request_change(actor=rel.supervisee, session=session, comment=" ")
    assert "comment" in exc.value.message_dict


def test_locked_records_cannot_be_changed_through_any_service(rel):
    session = make_session(rel, locked=True, actions=1)
    before = (session.summary, session.duration_minutes, session.revision)
    attempts = [
        lambda: sessions.session_update(actor=rel.supervisor, session=session, data=data()),
        lambda: sessions.session_confirm(actor=rel.supervisee, session=session),
        lambda: sessions.session_request_change(
            actor=rel.supervisee, session=session, comment="Change it."
        ),
        lambda: checkins.checkin_save(
            supervisee=rel.supervisee, session=session, workload=3, emotional_impact=3, support=3
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    session.refresh_from_db()
    assert (session.summary, session.duration_minutes, session.revision) == before
    assert session.actions.get().text.endswith(SENTINEL)
    assert not SupervisionCheckIn.objects.exists()


def test_locked_records_cannot_be_changed_through_any_view(client, rel):
    session = make_session(rel, locked=True)
    before = session.summary
    client.force_login(rel.supervisor)
    edit = reverse("supervision_edit", args=[session.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"summary": "Changed."}).status_code == 404
    client.force_login(rel.supervisee)
    confirm = reverse("supervision_confirm", args=[session.pk])
    assert client.post(confirm, {"decision": "change", "comment": "x"}).status_code == 400
    checkin = reverse("supervision_checkin", args=[session.pk])
    post = {"workload": "2", "emotional_impact": "2", "support": "2"}
    assert client.post(checkin, post).status_code == 400
    session.refresh_from_db()
    assert session.summary == before and session.status == "locked"
    assert not SupervisionCheckIn.objects.exists()


def test_addenda_are_added_to_locked_records_and_audited(client, rel):
    session = make_session(rel, locked=True)
    with pytest.raises(PermissionDenied):
        sessions.addendum_add(actor=rel.supervisor, session=make_session(rel), text="Too soon.")
    with pytest.raises(PermissionDenied):
        sessions.addendum_add(actor=UserFactory(), session=session, text="Not mine.")
    client.force_login(rel.supervisee)
    url = reverse("supervision_addendum", args=[session.pk])
    response = client.post(url, {"text": f"The date was the 3rd. {SENTINEL}"})
    assert response.status_code == 302
    addendum = SupervisionAddendum.objects.get()
    assert addendum.author == rel.supervisee and addendum.created_at is not None
    event = AuditEvent.objects.get(action="supervision.addendum_added")
    assert event.actor == rel.supervisee and event.data["addendum_id"] == addendum.pk
    assert SENTINEL not in repr(event.data)
    body = client.get(reverse("supervision_detail", args=[session.pk])).content.decode()
    assert "The date was the 3rd." in body and str(rel.supervisee) in body


def test_open_actions_carry_over_until_done(client, rel):
    earlier = make_session(rel, locked=True, held_on=timezone.localdate() - timedelta(days=40))
    action = make_action(earlier, text="Read the PLO lesson.")
    later = make_session(rel, summary="Second session.")
    own, carried = selectors.session_actions(later)
    assert own == [] and carried == [action]
    assert selectors.carried_actions_for_relationship(rel) == [action]
    client.force_login(rel.supervisee)
    assert "Read the PLO lesson." in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("supervision_action_done", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.done_at is not None
    assert selectors.session_actions(later) == ([], [])
    assert "Read the PLO lesson." not in client.get(reverse("dashboard")).content.decode()
    assert AuditEvent.objects.filter(action="supervision.action_done").count() == 1


def test_other_people_cannot_complete_actions(client, rel):
    action = make_action(make_session(rel))
    client.force_login(UserFactory())
    assert client.post(reverse("supervision_action_done", args=[action.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        sessions.action_complete(actor=UserFactory(), action=action)
    action.refresh_from_db()
    assert action.status == "open"


def test_the_checkin_is_private_unless_shared_for_that_session(client, rel):
    session = make_session(rel)
    checkin = checkins.checkin_save(
        supervisee=rel.supervisee,
        session=session,
        workload=4,
        emotional_impact=4,
        support=5,
        notes=f"Fine. {SENTINEL}-checkin",
    )
    assert selectors.checkin_visible_to(rel.supervisee, session) == checkin
    assert selectors.checkin_visible_to(rel.supervisor, session) is None
    assert selectors.checkin_visible_to(UserFactory(), session) is None
    url = reverse("supervision_detail", args=[session.pk])
    client.force_login(rel.supervisor)
    assert f"{SENTINEL}-checkin" not in client.get(url).content.decode()
    with pytest.raises(PermissionDenied):
        checkins.checkin_save(
            supervisee=rel.supervisor, session=session, workload=3, emotional_impact=3, support=3
        )
    checkins.checkin_save(
        supervisee=rel.supervisee,
        session=session,
        workload=4,
        emotional_impact=4,
        support=5,
        notes=f"Fine. {SENTINEL}-checkin",
        share_with_supervisor=True,
    )
    assert f"{SENTINEL}-checkin" in client.get(url).content.decode()
    # Shared for that session only.
    other = make_session(rel, summary="Another.")
    assert selectors.checkin_visible_to(rel.supervisor, other) is None


def test_concerning_answers_show_support_routes_calmly(client, rel):
    session = make_session(rel)
    client.force_login(rel.supervisee)
    url = reverse("supervision_checkin", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"workload": "1", "emotional_impact": "2", "support": "4"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Support is there if you need it" in body and reverse("support") in body
    organisation = rel.supervisee.memberships.first()
    assert organisation is None or organisation.organisation.safeguarding_route in body
    response = client.post(url, {"workload": "4", "emotional_impact": "4", "support": "4"})
    assert response.status_code == 302
    assert response.content.decode() == ""


def test_asking_for_a_change_and_resubmitting_through_the_pages(client, rel):
    session = make_session(rel, actions=1)
    done = make_action(session, text="Already done.")
    sessions.action_complete(actor=rel.supervisee, action=done)
    client.force_login(rel.supervisee)
    confirm = reverse("supervision_confirm", args=[session.pk])
    response = client.post(confirm, {"decision": "change", "comment": ""})
    assert response.status_code == 400
    assert "Say what you would like changed." in response.content.decode()
    assert (
        client.post(confirm, {"decision": "change", "comment": "Add the date."}).status_code == 302
    )
    client.force_login(rel.supervisor)
    home = client.get(reverse("supervision_home")).content.decode()
    assert "Changes asked for on your records" in home
    edit = reverse("supervision_edit", args=[session.pk])
    assert f'href="{edit}"' in home
    page = client.get(edit).content.decode()
    assert "Add the date." in page and "Already done." not in page
    post = {
        "held_on": str(session.held_on),
        "duration_minutes": "75",
        "format": "one_to_one",
        "functions": ["normative"],
        "summary": "Changed as asked.",
        "action-0-text": "A new action.",
        "action-0-owner": "supervisor",
    }
    assert client.post(edit, post).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.revision, session.duration_minutes) == ("submitted", 2, 75)
    assert sorted(session.actions.values_list("status", flat=True)) == ["done", "open"]
    assert session.actions.get(status="open").owner == rel.supervisor


def test_written_text_is_escaped_on_every_page(client, rel):
    session = make_session(rel, summary='<script>alert("x")</script> & <b>bold</b>')
    make_action(session, text="<img src=x onerror=alert(1)>")
    client.force_login(rel.supervisee)
    body = client.get(reverse("supervision_detail", args=[session.pk])).content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    created = sessions.session_create(
        author=rel.supervisee,
        relationship=rel,
        data=data(summary="<script>bad()</script>Fine &amp; well"),
    )
    assert created.summary == "bad()Fine & well"
