"""Reminders: sent once per due event (claimed with a unique row), never after the thing is
done, and never carrying content. The clock is frozen with time_machine."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from reflection.supervision import reminders, sessions, tasks
from reflection.supervision.models import SupervisionReminderSent

from .supervision_factories import SENTINEL, make_action, make_relationship, make_session

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)


@pytest.fixture
def sent(monkeypatch):
    """Record notifications instead of sending them."""
    out: list[dict] = []
    monkeypatch.setattr("learning.notify.notify", lambda **kw: out.append(kw))
    return out


def kinds(sent):
    return sorted((s["kind"], s["recipient"].pk) for s in sent)


@time_machine.travel(NOON, tick=False)
def test_a_session_due_by_the_agreed_frequency_is_reminded_once(sent):
    rel = make_relationship(started_on=date(2025, 12, 1))  # 4-6 weeks
    make_session(rel, held_on=date(2026, 1, 26), locked=True)  # 5 weeks ago: due
    assert reminders.supervision_reminders_send() == 2
    assert kinds(sent) == sorted(
        [
            ("supervision.session_due", rel.supervisee_id),
            ("supervision.session_due", rel.supervisor_id),
        ]
    )
    assert all(SENTINEL not in s["message"]() and s["key"] for s in sent)
    assert reminders.supervision_reminders_send() == 0
    with time_machine.travel(NOON + timedelta(hours=5), tick=False):
        assert reminders.supervision_reminders_send() == 0
    assert len(sent) == 2


@time_machine.travel(NOON, tick=False)
def test_no_session_reminder_before_the_window_or_once_a_session_is_booked_or_held(sent):
    rel = make_relationship(started_on=date(2025, 12, 1))
    make_session(rel, held_on=date(2026, 2, 16), locked=True)  # 2 weeks ago: not yet due
    assert reminders.supervision_reminders_send() == 0
    other = make_relationship(started_on=date(2025, 12, 1))
    make_session(other, held_on=date(2026, 1, 19), locked=True, next_on=date(2026, 3, 9))
    assert reminders.supervision_reminders_send() == 0  # a session is booked
    ended = make_relationship(status="ended", started_on=date(2025, 1, 1))
    assert ended and reminders.supervision_reminders_send() == 0
    assert sent == []


def test_a_new_due_event_gets_a_new_reminder(sent):
    rel = make_relationship(started_on=date(2025, 12, 1))
    make_session(rel, held_on=date(2026, 1, 26), locked=True)
    with time_machine.travel(NOON, tick=False):
        assert reminders.supervision_reminders_send() == 2
        make_session(rel, held_on=date(2026, 3, 2), locked=True)  # done: held today
        assert reminders.supervision_reminders_send() == 0
    with time_machine.travel(NOON + timedelta(weeks=4), tick=False):
        assert reminders.supervision_reminders_send() == 2
    assert SupervisionReminderSent.objects.count() == 4


@time_machine.travel(NOON, tick=False)
def test_a_record_awaiting_confirmation_is_reminded_once_per_revision(
    sent, django_capture_on_commit_callbacks
):
    rel = make_relationship(started_on=date(2026, 2, 20))
    with django_capture_on_commit_callbacks(execute=True):
        session = sessions.session_create(
            author=rel.supervisor,
            relationship=rel,
            data=sessions.SessionInput(
                held_on=date(2026, 3, 1),
                duration_minutes=45,
                format="one_to_one",
                functions=frozenset({"normative"}),
                summary="Short.",
            ),
        )
    # Told straight away (the task after commit); the hourly scan does not repeat it.
    assert kinds(sent) == [("supervision.awaiting_confirmation", rel.supervisee_id)]
    assert sent[0]["url"] == f"/supervision/{session.pk}/confirm/"
    assert reminders.supervision_reminders_send() == 0
    sessions.session_request_change(actor=rel.supervisee, session=session, comment="Fix.")
    assert reminders.supervision_reminders_send() == 0  # nothing waits for the supervisee
    session.refresh_from_db()
    session.status, session.revision = "submitted", 2  # the writer resubmits
    session.save(update_fields=["status", "revision"])
    assert reminders.supervision_reminders_send() == 1
    sessions.session_confirm(actor=rel.supervisee, session=session)
    session.refresh_from_db()
    session.revision = 3
    session.save(update_fields=["revision"])
    assert reminders.supervision_reminders_send() == 0  # locked: done
    assert [s["kind"] for s in sent] == [
        "supervision.awaiting_confirmation",
        "supervision.change_requested",  # told in the change's own transaction
        "supervision.awaiting_confirmation",
    ]


@time_machine.travel(NOON, tick=False)
def test_a_due_action_is_reminded_to_its_owner_once_and_not_after_it_is_done(sent):
    rel = make_relationship(started_on=date(2026, 2, 20))
    session = make_session(rel, held_on=date(2026, 2, 23), locked=True)
    due = make_action(session, due_on=date(2026, 3, 1))
    make_action(session, owner=rel.supervisor, due_on=date(2026, 3, 20))  # not yet due
    done = make_action(session, due_on=date(2026, 2, 28))
    sessions.action_complete(actor=rel.supervisee, action=done)
    assert reminders.supervision_reminders_send() == 1
    assert kinds(sent) == [("supervision.action_due", rel.supervisee_id)]
    assert SENTINEL not in sent[0]["message"]()
    assert reminders.supervision_reminders_send() == 0
    sessions.action_complete(actor=rel.supervisee, action=due)
    with time_machine.travel(NOON + timedelta(days=2), tick=False):
        assert reminders.supervision_reminders_send() == 0
    assert len(sent) == 1


@time_machine.travel(NOON, tick=False)
def test_a_failed_send_releases_the_claim(monkeypatch):
    rel = make_relationship(started_on=date(2026, 2, 20))
    make_action(make_session(rel, locked=True), due_on=date(2026, 3, 1))

    def broken(**kw):
        raise RuntimeError("mail server down")

    monkeypatch.setattr("learning.notify.notify", broken)
    with pytest.raises(RuntimeError):
        reminders.supervision_reminders_send()
    assert not SupervisionReminderSent.objects.exists()
    calls = []
    monkeypatch.setattr("learning.notify.notify", lambda **kw: calls.append(kw))
    assert reminders.supervision_reminders_send() == 1 and len(calls) == 1


@time_machine.travel(NOON, tick=False)
def test_the_beat_task_runs_the_scan_and_the_real_notification_is_made_once():
    from learning.models import Notification

    rel = make_relationship(started_on=date(2025, 12, 1))
    make_session(rel, held_on=date(2026, 1, 19), locked=True)
    tasks.supervision_reminders_send.delay()
    tasks.supervision_reminders_send.delay()
    notes = Notification.objects.filter(kind="supervision.session_due")
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted(
        [rel.supervisee_id, rel.supervisor_id]
    )
    assert all(SENTINEL not in n.message for n in notes)
    assert timezone.localdate() == date(2026, 3, 2)
