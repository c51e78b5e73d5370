"""The calendar feed (RFC 5545 text, secret token stored hashed, revocation) and the supervision
log exports (CSV and PDF, summaries only when asked for)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from learning.calendar import calendar_text
from learning.models import AuditEvent
from reflection.supervision import exports
from reflection.supervision.calendar import (
    calendar_token_regenerate,
    calendar_token_revoke,
    calendar_user_for,
    supervision_events_for,
)
from reflection.supervision.models import SupervisionCalendarToken, SupervisionTheme

from .factories import UserFactory
from .supervision_factories import SENTINEL, make_relationship, make_session

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def feed(client, token):
    return client.get(reverse("supervision_calendar"), {"token": token})


def test_supervision_events_are_all_day_with_names_only():
    rel = make_relationship()
    make_session(rel, held_on=date(2026, 2, 20), next_on=date(2026, 3, 9))
    (event,) = supervision_events_for(rel.supervisee, date(2026, 3, 2))
    assert (event.starts, event.ends) == (date(2026, 3, 9), date(2026, 3, 10))
    assert str(rel.supervisor) in event.summary and not event.busy
    assert event.uid == f"supervision-{rel.pk}-20260309@testserver"
    text = calendar_text([event], now=NOON)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20260309\r\n" in text and "DTEND;VALUE=DATE:20260310\r\n" in text


@time_machine.travel(NOON, tick=False)
def test_the_feed_lists_upcoming_sessions_with_dates_and_names_only(client):
    rel = make_relationship()
    make_session(rel, held_on=date(2026, 2, 20), next_on=date(2026, 3, 20))
    past = make_relationship(supervisee=rel.supervisee)
    make_session(past, held_on=date(2026, 1, 1), next_on=date(2026, 2, 1))  # gone by
    token = calendar_token_regenerate(user=rel.supervisee)
    response = feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20260320" in body
    assert str(rel.supervisor) in body and SENTINEL not in body and "hard week" not in body


def test_the_token_is_stored_hashed_and_can_be_revoked_and_regenerated(client):
    user = UserFactory()
    token = calendar_token_regenerate(user=user)
    stored = SupervisionCalendarToken.objects.get(user=user)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert calendar_user_for(token) == user
    new = calendar_token_regenerate(user=user)
    assert feed(client, token).status_code == 404 and feed(client, new).status_code == 200
    assert calendar_token_revoke(user=user) is True
    assert feed(client, new).status_code == 404
    assert calendar_token_revoke(user=user) is False
    assert [
        a
        for a in AuditEvent.objects.order_by("pk").values_list("action", flat=True)
        if a.startswith("supervision.calendar")
    ] == [
        "supervision.calendar_token_made",
        "supervision.calendar_token_made",
        "supervision.calendar_token_revoked",
    ]


def test_a_deactivated_persons_feed_stops(client):
    user = UserFactory()
    token = calendar_token_regenerate(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert feed(client, token).status_code == 404


def test_the_settings_page_shows_a_new_link_once_and_turns_it_off(
    client, django_assert_num_queries
):
    user = UserFactory()
    client.force_login(user)
    url = reverse("supervision_calendar_settings")
    assert "Make a calendar link" in client.get(url).content.decode()
    body = client.post(url, {"action": "regenerate"}).content.decode()
    assert "/supervision/calendar.ics?token=" in body
    token = body.split("calendar.ics?token=")[1].split("<")[0]
    assert calendar_user_for(token) == user
    assert "calendar.ics?token=" not in client.get(url).content.decode()  # shown once
    assert client.post(url, {"action": "revoke"}).status_code == 302
    assert calendar_user_for(token) is None
    client.logout()  # a calendar app fetches the feed without a session
    feed(client, "x")
    # the token lookup, then Wagtail's redirect check on any 404 (site, two redirect lookups)
    with django_assert_num_queries(4):
        assert feed(client, "nope").status_code == 404
    token = calendar_token_regenerate(user=make_relationship(supervisee=user).supervisee)
    feed(client, token)
    # the token and its person; then one query a source: supervision, sessions, due dates
    with django_assert_num_queries(4):
        assert feed(client, token).status_code == 200


# --- exports -----------------------------------------------------------------------------------


@pytest.fixture
def logged():
    rel = make_relationship()
    theme = SupervisionTheme.objects.get(name="Vicarious trauma")
    s = make_session(rel, held_on=timezone.localdate() - timedelta(days=3), locked=True)
    s.themes.add(theme)
    make_session(rel, held_on=timezone.localdate() - timedelta(days=40), format="round")
    make_session(make_relationship(supervisor=rel.supervisee))  # as supervisor: not in the log
    return rel


def test_the_csv_log_has_dates_types_and_summaries_only_when_asked(client, logged):
    client.force_login(logged.supervisee)
    url = reverse("supervision_export")
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "type", "format", "minutes", "functions", "themes", "with", "status"]
    assert len(rows) == 3
    assert rows[2][1:6] == [
        "Clinical supervision",
        "One-to-one",
        "60",
        "Formative",
        "Vicarious trauma",
    ]
    assert SENTINEL not in response.content.decode()
    with_summaries = client.get(url, {"format": "csv", "summaries": "on"}).content.decode()
    assert SENTINEL in with_summaries
    event = AuditEvent.objects.filter(action="supervision.log_exported").order_by("pk").last()
    assert event.data == {"format": "csv", "rows": 2, "summaries": True}


def test_the_pdf_log_is_a_pdf(client, logged):
    client.force_login(logged.supervisee)
    response = client.get(reverse("supervision_export"), {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    rows = exports.supervision_log_rows(logged.supervisee, include_summaries=False)
    assert [r.summary for r in rows] == ["", ""]
    assert (
        exports.supervision_log_pdf(rows, holder_name="A", include_summaries=False)[:4] == b"%PDF"
    )


def test_csv_cells_cannot_start_a_formula():
    row = exports.LogRow(
        held_on=date(2026, 1, 1),
        kind="=HYPERLINK()",
        format="x",
        duration_minutes=1,
        functions=(),
        themes=(),
        with_whom="@me",
        status="s",
    )
    text = exports.supervision_log_csv([row], include_summaries=False)
    assert "'=HYPERLINK()" in text and "'@me" in text


def test_community_reflective_sessions_attended_are_in_the_log(client, logged):
    from community.models import SessionSignup

    from .community_factories import SpaceFactory
    from .community_factories import session as community_session

    space = SpaceFactory()
    attended = community_session(space, starts_in_days=-10, title="HOPE Box reflective group")
    missed = community_session(space, starts_in_days=-5, title="A group they missed")
    SessionSignup.objects.create(session=attended, user=logged.supervisee, attended=True)
    SessionSignup.objects.create(session=missed, user=logged.supervisee, attended=False)
    client.force_login(logged.supervisee)
    page = client.get(reverse("supervision_export")).content.decode()
    assert "HOPE Box reflective group" in page and "A group they missed" not in page
    text = client.get(reverse("supervision_export"), {"format": "csv"}).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    community = [r for r in rows if r[1] == "Community reflective session"]
    assert len(community) == 1 and community[0][3] == "90"
    assert community[0][2] == f"HOPE Box reflective group ({space.name})"
    assert len(rows) == 4  # header, two supervision sessions, one community session
