"""Reflective sessions: scheduling, sign-up with capacity (also under concurrency on
PostgreSQL), the .ics invitation (RFC 5545: CRLF, folding, escaping), attendance, and the
selector the supervision log reads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from community.models import ReflectiveSession, SessionSignup
from community.selectors import AttendedSession, reflective_sessions_attended_by
from community.sessions import services as session_services
from community.sessions.ics import escape_text, fold, session_ics
from learning.models import Notification

from .community_factories import SpaceFactory, facilitated_space, member, session
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 80
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_ics_document_shape():
    text = session_ics(
        uid="s-1@test",
        title="Quarterly group, HOPE Boxes; reflection",
        starts_at=datetime(2026, 3, 14, 14, 0, tzinfo=UTC),
        duration_minutes=90,
        description="Join by video.\nBring a drink.",
        stamp=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20260314T140000Z\r\n" in text and "DTEND:20260314T153000Z\r\n" in text
    assert "SUMMARY:Quarterly group\\, HOPE Boxes\\; reflection\r\n" in text
    assert "DESCRIPTION:Join by video.\\nBring a drink.\r\n" in text


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
        signup = session_services.session_signup(user=person, session=s)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    name, content, mimetype = message.attachments[0]
    assert name == "session.ics" and mimetype.startswith("text/calendar")
    assert (
        "BEGIN:VEVENT\r\n" in content and "SUMMARY:Quarterly HOPE Box reflective group" in content
    )
    assert session_services.session_invitation_notify(signup_id=signup.pk) is False
    assert len(mail.outbox) == 1
    assert (
        Notification.objects.filter(recipient=person, kind="community.session_place").count() == 1
    )
    # Signing up twice keeps one place.
    assert session_services.session_signup(user=person, session=s) == signup


def test_capacity_is_enforced():
    space = SpaceFactory()
    s = session(space, capacity=1)
    session_services.session_signup(user=member(space).user, session=s)
    with pytest.raises(ValidationError):
        session_services.session_signup(user=member(space).user, session=s)
    with pytest.raises(PermissionDenied):
        session_services.session_signup(user=UserFactory(), session=s)


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
            session_services.session_signup(user=user, session=s)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    workers = [threading.Thread(target=sign, args=(p,)) for p in people]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert outcomes.count("ok") == 3
    assert SessionSignup.objects.filter(session=s).count() == 3


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
