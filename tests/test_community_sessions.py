"""Reflective sessions: scheduling, sign-up with capacity (also under concurrency on
PostgreSQL), the .ics invitation (RFC 5545: CRLF, folding, escaping), attendance, and the
selector the supervision log reads."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community.models import ReflectiveSession, SessionSignup, SignupStatus
from community.sessions import places
from community.sessions import services as session_services
from community.sessions.ics import session_invitation_ics
from community.sessions.selectors import AttendedSession, reflective_sessions_attended_by
from learning.models import Notification

from .community_factories import SpaceFactory, facilitated_space, member, session
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_invitation_is_written_by_the_calendar_library():
    space = SpaceFactory()
    s = session(
        space,
        title="Quarterly group, HOPE Boxes; reflection",
        joining_details="Join by video.\nBring a drink.",
    )
    person = member(space).user
    signup = places.session_signup(user=person, session=s)
    attachment = session_invitation_ics(signup.pk)
    assert attachment is not None and attachment.mimetype.endswith("method=REQUEST")
    text = attachment.content
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["summary"]) == "Quarterly group, HOPE Boxes; reflection"
    assert "SUMMARY:Quarterly group\\, HOPE Boxes\\; reflection\r\n" in text
    starts = s.starts_at.replace(microsecond=0)
    assert event.decoded("dtstart") == starts
    assert event.decoded("dtend") == starts + timedelta(minutes=90)
    assert str(event["description"]).startswith("Join by video.\nBring a drink.")
    assert str(event["attendee"]) == f"mailto:{person.email}"


def test_only_facilitators_schedule_and_input_is_checked():
    space, facilitator = facilitated_space()
    starts = timezone.now() + timedelta(days=30)
    fields = {
        "title": "HOPE Box group",
        "starts_at": starts,
        "duration_minutes": 90,
        "joining_details": "Video link",
        "capacity": 8,
    }
    with pytest.raises(PermissionDenied):
        session_services.session_create(actor=member(space).user, space=space, **fields)
    with pytest.raises(ValidationError) as exc:
        session_services.session_create(
            actor=facilitator, space=space, **{**fields, "starts_at": timezone.now()}
        )
    assert "starts_at" in exc.value.message_dict
    created = session_services.session_create(actor=facilitator, space=space, **fields)
    assert created.capacity == 8


def test_signup_tells_the_person_once_with_an_ics_invitation_attached(
    django_capture_on_commit_callbacks,
):
    space = SpaceFactory()
    s = session(space, capacity=2)
    person = member(space).user
    with django_capture_on_commit_callbacks(execute=True):
        signup = places.session_signup(user=person, session=s)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    name, content, mimetype = message.attachments[0]
    assert name == "session.ics" and mimetype.startswith("text/calendar")
    assert (
        "BEGIN:VEVENT\r\n" in content and "SUMMARY:Quarterly HOPE Box reflective group" in content
    )
    assert places.session_invitation_notify(signup_id=signup.pk) is False
    assert len(mail.outbox) == 1
    assert (
        Notification.objects.filter(recipient=person, kind="community.session_place").count() == 1
    )
    # Signing up twice keeps one place.
    assert places.session_signup(user=person, session=s) == signup


def test_capacity_is_enforced():
    space = SpaceFactory()
    s = session(space, capacity=1)
    places.session_signup(user=member(space).user, session=s)
    assert places.session_signup(user=member(space).user, session=s).is_waiting
    with pytest.raises(PermissionDenied):
        places.session_signup(user=UserFactory(), session=s)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrency():
    space = SpaceFactory()
    s = session(space, capacity=3)
    people = [member(space).user for _ in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def sign(user):
        barrier.wait()
        try:
            signup = places.session_signup(user=user, session=s)
            outcomes.append("ok" if signup.has_place else "waiting")
        finally:
            connection.close()

    workers = [threading.Thread(target=sign, args=(p,)) for p in people]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert outcomes.count("ok") == 3 and outcomes.count("waiting") == 5
    assert SessionSignup.objects.filter(session=s, status=SignupStatus.PLACE).count() == 3


def test_attendance_and_the_supervision_selector():
    space, facilitator = facilitated_space(name="HOPE Boxes practitioners")
    past = session(space, starts_in_days=-2, title="Winter group")
    came, missed = member(space).user, member(space).user
    for person in (came, missed):
        SessionSignup.objects.create(session=past, user=person)
    future = session(space)
    with pytest.raises(ValidationError):
        session_services.session_attendance_set(
            actor=facilitator, session=future, attended_ids=set()
        )
    with pytest.raises(PermissionDenied):
        session_services.session_attendance_set(actor=came, session=past, attended_ids={came.pk})
    session_services.session_attendance_set(actor=facilitator, session=past, attended_ids={came.pk})
    assert reflective_sessions_attended_by(came) == [
        AttendedSession(
            starts_at=past.starts_at,
            duration_minutes=90,
            title="Winter group",
            space_name="HOPE Boxes practitioners",
        )
    ]
    assert reflective_sessions_attended_by(missed) == []
    assert reflective_sessions_attended_by(None) == []


def test_session_views(client):
    space, facilitator = facilitated_space()
    client.force_login(facilitator)
    url = reverse("community_sessions", args=[space.slug])
    response = client.post(url, {"title": "Group"})
    assert response.status_code == 400 and b"Group" in response.content
    starts = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url,
        {
            "title": "Spring group",
            "starts_at": starts,
            "duration_minutes": "60",
            "capacity": "6",
            "joining_details": "Room 2",
        },
    )
    created = ReflectiveSession.objects.get(title="Spring group")
    assert response.status_code == 302
    person = member(space).user
    client.force_login(person)
    detail = reverse("community_session", args=[space.slug, created.pk])
    assert client.post(detail).status_code == 302
    assert b"You have a place" in client.get(detail).content
