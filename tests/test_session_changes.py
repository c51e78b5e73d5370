"""Running a reflective session: the waiting list and its promotion (first come, first
served), withdrawal, the facilitator's edit, reschedule and cancel with updated and cancelled
calendar invitations (same UID, higher SEQUENCE, METHOD:CANCEL, read back with the
``icalendar`` library), the meeting link shown only to those with a place, the reminder the day
before, and the one calendar feed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from zeal import zeal_context

from community.models import ReflectiveSession, SessionSignup, SignupStatus
from community.sessions import places
from community.sessions import services as session_services
from community.sessions.ics import session_invitation_ics
from community.tasks import session_reminders_send
from learning.calendar import CANCEL, REQUEST, calendar_events_for
from learning.models import AuditEvent, Notification
from reflection.supervision.calendar import calendar_token_regenerate

from .community_factories import facilitated_space, member, session
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(s, **changes):
    fields = {
        "title": s.title,
        "starts_at": s.starts_at,
        "duration_minutes": s.duration_minutes,
        "joining_details": s.joining_details,
        "capacity": s.capacity,
        "meeting_url": s.meeting_url,
    }
    return {**fields, **changes}


def _invitations(person):
    """The calendar files emailed to ``person``, read back: (METHOD, VEVENT) each."""
    found = []
    for message in mail.outbox:
        if message.to != [person.email]:
            continue
        for _name, content, _mime in message.attachments:
            cal = Calendar.from_ical(content)
            found.append((str(cal["method"]), cal.walk("VEVENT")[0]))
    return found


def _kinds(person):
    return list(
        Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True)
    )


def test_a_full_session_has_a_waiting_list_promoted_first_come_first_served(
    django_capture_on_commit_callbacks,
):
    space, _facilitator = facilitated_space()
    s = session(space, capacity=1)
    first, second, third = (member(space).user for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        assert places.session_signup(user=first, session=s).has_place
        assert places.session_signup(user=second, session=s).is_waiting
        assert places.session_signup(user=third, session=s).is_waiting
    assert _kinds(second) == ["community.session_waiting"]
    assert _invitations(second) == []  # no calendar file while waiting
    with django_capture_on_commit_callbacks(execute=True):
        places.session_withdraw(user=first, session=s)
    statuses = dict(SessionSignup.objects.filter(session=s).values_list("user_id", "status"))
    assert statuses == {
        first.pk: SignupStatus.WITHDRAWN,
        second.pk: SignupStatus.PLACE,
        third.pk: SignupStatus.WAITING,
    }
    assert _kinds(first) == ["community.session_place", "community.session_withdrawn"]
    assert _kinds(second) == ["community.session_waiting", "community.session_place"]
    (method, event) = _invitations(first)[-1]
    assert method == CANCEL and str(event["status"]) == "CANCELLED"
    (method, event) = _invitations(second)[-1]
    assert method == REQUEST and str(event["uid"]).startswith(f"community-session-{s.pk}@")
    assert AuditEvent.objects.filter(action="community.session_promoted").count() == 1
    # Someone who withdrew and comes back joins at the back of the queue.
    assert places.session_signup(user=first, session=s).is_waiting
    assert places.session_withdraw(user=third, session=s).status == SignupStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        places.session_withdraw(user=third, session=s)


def test_more_places_promote_those_waiting():
    space, facilitator = facilitated_space()
    s = session(space, capacity=1)
    people = [member(space).user for _ in range(3)]
    for person in people:
        with zeal_context():  # each person signs up in a request of their own
            places.session_signup(user=person, session=s)
    with pytest.raises(ValidationError) as exc:
        session_services.session_change(actor=facilitator, session=s, **_fields(s, capacity=0))
    assert "capacity" in exc.value.message_dict
    session_services.session_change(actor=facilitator, session=s, **_fields(s, capacity=2))
    assert list(
        SessionSignup.objects.filter(session=s, status=SignupStatus.PLACE)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    ) == [people[0].pk, people[1].pk]
    s.refresh_from_db()
    assert s.sequence == 0  # only the places changed: nothing in anyone's calendar did


def test_reschedule_sends_the_same_event_with_a_higher_sequence(
    django_capture_on_commit_callbacks,
):
    space, facilitator = facilitated_space()
    s = session(space, capacity=2)
    person = member(space).user
    waiting_person = member(space).user
    with django_capture_on_commit_callbacks(execute=True):
        places.session_signup(user=person, session=s)
        places.session_signup(user=member(space).user, session=s)
        places.session_signup(user=waiting_person, session=s)
    (_m, first) = _invitations(person)[0]
    with pytest.raises(PermissionDenied):
        session_services.session_change(actor=person, session=s, **_fields(s))
    later = s.starts_at + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_change(actor=facilitator, session=s, **_fields(s, starts_at=later))
    (method, moved) = _invitations(person)[-1]
    assert method == REQUEST
    assert str(moved["uid"]) == str(first["uid"])
    assert int(moved["sequence"]) > int(first["sequence"])
    assert moved.decoded("dtstart") == later.replace(microsecond=0)
    assert _kinds(person)[-1] == "community.session_changed"
    assert "community.session_changed" not in _kinds(waiting_person)
    # Nothing changed: no new sequence, nobody told again.
    s.refresh_from_db()
    told = Notification.objects.count()
    session_services.session_change(actor=facilitator, session=s, **_fields(s))
    assert Notification.objects.count() == told
    audit = AuditEvent.objects.filter(action="community.session_changed").get()
    assert audit.data["fields"] == ["starts_at"] and audit.data["sequence"] == 1


def test_cancelling_sends_method_cancel_and_tells_those_waiting(
    django_capture_on_commit_callbacks,
):
    space, facilitator = facilitated_space()
    s = session(space, capacity=1)
    person, waiting_person = member(space).user, member(space).user
    with django_capture_on_commit_callbacks(execute=True):
        places.session_signup(user=person, session=s)
        places.session_signup(user=waiting_person, session=s)
    (_m, invited) = _invitations(person)[0]
    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_cancel(actor=facilitator, session=s)
    (method, cancelled) = _invitations(person)[-1]
    assert method == CANCEL and str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == str(invited["uid"])
    assert int(cancelled["sequence"]) > int(invited["sequence"])
    assert _kinds(waiting_person)[-1] == "community.session_cancelled"
    assert _invitations(waiting_person) == []
    with pytest.raises(ValidationError):
        places.session_signup(user=member(space).user, session=s)
    with pytest.raises(ValidationError):
        places.session_withdraw(user=person, session=s)
    with pytest.raises(ValidationError):
        session_services.session_change(actor=facilitator, session=s, **_fields(s, title="New"))
    # Cancelling twice changes nothing more.
    session_services.session_cancel(actor=facilitator, session=s)
    s.refresh_from_db()
    assert s.sequence == 1


def test_the_meeting_link_must_be_https_and_is_shown_only_to_those_with_a_place(client):
    space, facilitator = facilitated_space()
    fields = {
        "title": "Group",
        "starts_at": timezone.now() + timedelta(days=3),
        "duration_minutes": 60,
        "joining_details": "Online",
        "capacity": 1,
    }
    with pytest.raises(ValidationError) as exc:
        session_services.session_create(
            actor=facilitator, space=space, meeting_url="javascript:alert(1)", **fields
        )
    assert "meeting_url" in exc.value.message_dict
    s = session_services.session_create(
        actor=facilitator, space=space, meeting_url="https://meet.example.nhs.uk/abc", **fields
    )
    holder, waiting, onlooker = member(space).user, member(space).user, member(space).user
    places.session_signup(user=holder, session=s)
    places.session_signup(user=waiting, session=s)
    url = reverse("community_session", args=[space.slug, s.pk])
    for person, sees in ((holder, True), (facilitator, True), (waiting, False), (onlooker, False)):
        client.force_login(person)  # each page a request of its own (the middleware's context)
        body = client.get(url).content.decode()
        assert ("https://meet.example.nhs.uk/abc" in body) is sees
    attachment = session_invitation_ics(SessionSignup.objects.get(user=holder).pk)
    assert "https://meet.example.nhs.uk/abc" in attachment.content
    assert session_invitation_ics(SessionSignup.objects.get(user=waiting).pk) is None


LONDON = ZoneInfo("Europe/London")


def test_the_reminder_goes_the_day_before_once_each(django_capture_on_commit_callbacks):
    space, facilitator = facilitated_space()
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=LONDON), tick=False):
        s = session(space, starts_in_days=2, capacity=1)  # 3 December, 09:00
        person, waiting = member(space).user, member(space).user
        places.session_signup(user=person, session=s)
        places.session_signup(user=waiting, session=s)
        assert session_reminders_send() == 0  # two days ahead: not yet
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=LONDON), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert session_reminders_send() == 1
        assert session_reminders_send() == 0
        assert _kinds(person)[-1] == "community.session_reminder"
        assert "community.session_reminder" not in _kinds(waiting)
        # Moved to the day after: reminded again the day before the new date.
        session_services.session_change(
            actor=facilitator, session=s, **_fields(s, starts_at=s.starts_at + timedelta(days=1))
        )
        assert session_reminders_send() == 0
    with time_machine.travel(datetime(2026, 12, 3, 9, 0, tzinfo=LONDON), tick=False):
        assert session_reminders_send() == 1


def test_the_reminder_task_is_in_the_beat_schedule():
    from django.conf import settings

    from learning.task_names import LEGACY_TASK_NAMES

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert session_reminders_send.name in tasks
    stable = LEGACY_TASK_NAMES["community.tasks.session_reminders_send"]
    assert stable == session_reminders_send.name


def test_the_feed_holds_sessions_supervision_and_due_dates(client):
    from modules.assignments import services as assignment_services

    from .factories import MembershipFactory
    from .module_factories import make_module
    from .supervision_factories import make_relationship, make_session

    space, facilitator = facilitated_space()
    rel = make_relationship()
    person = rel.supervisee
    member(space, person)
    make_session(rel, held_on=timezone.localdate(), next_on=timezone.localdate() + timedelta(7))
    kept = session(space, title="Kept group")
    dropped = session(space, title="Cancelled group")
    left = session(space, title="Left group")
    for s in (kept, dropped, left):
        with zeal_context():  # each sign-up is a request of its own
            places.session_signup(user=person, session=s)
    session_services.session_cancel(actor=facilitator, session=dropped)
    places.session_withdraw(user=person, session=left)
    session(space, title="Not signed up")
    membership = MembershipFactory(user=person)
    admin = MembershipFactory(organisation=membership.organisation, role="org_admin").user
    module = make_module(title="Separation at birth")
    assignment_services.assignment_create(
        actor=admin,
        organisation=membership.organisation,
        users=[person],
        module=module,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    token = calendar_token_regenerate(user=person)
    response = client.get(reverse("supervision_calendar"), {"token": token})
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    assert str(cal["method"]) == "PUBLISH"
    summaries = sorted(str(e["summary"]) for e in cal.walk("VEVENT"))
    assert summaries == sorted(
        [
            "Kept group",
            "Due: Separation at birth",
            f"{rel.get_kind_display()} with {rel.supervisor}",
        ]
    )
    assert [e.summary for e in calendar_events_for(UserFactory(), today=date.today())] == []


def test_a_weekly_series_keeps_its_local_time_and_edit_all_moves_the_later_ones(client):
    space, facilitator = facilitated_space()
    first_start = datetime(2027, 3, 18, 14, 0, tzinfo=LONDON)  # the clocks change on 28 March
    with time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=LONDON), tick=False):
        fields = {
            "title": "Weekly group",
            "starts_at": first_start,
            "duration_minutes": 60,
            "joining_details": "Room 2",
            "capacity": 4,
        }
        with pytest.raises(ValidationError) as exc:
            session_services.session_create(
                actor=facilitator, space=space, repeat="weekly", occurrences=13, **fields
            )
        assert "occurrences" in exc.value.message_dict
        first = session_services.session_create(
            actor=facilitator, space=space, repeat="weekly", occurrences=4, **fields
        )
        series = list(ReflectiveSession.objects.filter(series=first.series).order_by("starts_at"))
        assert [timezone.localtime(s.starts_at).strftime("%d %H:%M") for s in series] == [
            "18 14:00",
            "25 14:00",
            "01 14:00",
            "08 14:00",
        ]
        # Change only the second.
        second = series[1]
        session_services.session_change(
            actor=facilitator, session=second, scope="one", **_fields(second, title="Moved")
        )
        assert list(
            ReflectiveSession.objects.filter(series=first.series)
            .order_by("starts_at")
            .values_list("title", flat=True)
        ) == ["Weekly group", "Moved", "Weekly group", "Weekly group"]
        # The second and every later one: half an hour later, and a new room.
        session_services.session_change(
            actor=facilitator,
            session=second,
            scope="series",
            **_fields(
                second,
                starts_at=second.starts_at + timedelta(minutes=30),
                joining_details="Room 3",
            ),
        )
        after = list(ReflectiveSession.objects.filter(series=first.series).order_by("starts_at"))
        assert [s.joining_details for s in after] == ["Room 2", "Room 3", "Room 3", "Room 3"]
        assert after[0].starts_at == series[0].starts_at and after[0].sequence == 0
        assert [s.starts_at - o.starts_at for s, o in zip(after[1:], series[1:], strict=True)] == [
            timedelta(minutes=30)
        ] * 3
        assert [s.sequence for s in after] == [0, 2, 1, 1]
        client.force_login(facilitator)
        edit = client.get(reverse("community_session_edit", args=[space.slug, second.pk]))
        body = edit.content.decode()
        assert "This session and every later one in the series" in body
        assert 'id="id_scope_1"' in body and 'for="id_scope_1"' in body  # radios, labelled
        listing = client.get(reverse("community_sessions", args=[space.slug])).content.decode()
        assert 'id="id_repeat_1"' in listing and 'for="id_repeat_1"' in listing


def test_a_monthly_series_keeps_the_date_or_the_last_day_of_a_shorter_month():
    first = datetime(2027, 1, 31, 10, 0, tzinfo=LONDON)
    assert [
        session_services.occurrence(first, "monthly", n).strftime("%Y-%m-%d") for n in range(3)
    ] == ["2027-01-31", "2027-02-28", "2027-03-31"]
