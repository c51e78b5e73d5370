"""Reflective sessions in a real browser: a full session puts the next person on the waiting
list; when the person with the place gives it up, the first person waiting is promoted; each
is told in their notifications. The facilitator reschedules the session, then schedules a
weekly series. axe-core clean on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import SessionSignup, SignupStatus

from ..community_factories import facilitated_space, member, session
from ..factories import UserFactory
from .conftest import assert_accessible, visit
from .test_community_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_full_session_waiting_list_withdraw_and_promotion(page, live_server):
    base = live_server.url
    space, facilitator = facilitated_space(name="HOPE Boxes practitioners")
    s = session(space, capacity=1, title="Winter reflective group", starts_in_days=10)
    s.meeting_url = "https://meet.example.nhs.uk/winter"
    s.save(update_fields=["meeting_url"])
    first = member(space, UserFactory(display_name="Fay First")).user
    second = member(space, UserFactory(display_name="Sam Second")).user
    url = f"{base}/community/{space.slug}/sessions/{s.pk}/"

    # The first person takes the only place and sees the meeting link.
    sign_in(page, base, first)
    visit(page, url)
    assert_accessible(page)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("You have a place. We have emailed you a calendar invitation.").wait_for()
    expect(page.get_by_role("link", name="Join the online meeting")).to_be_visible()
    assert_accessible(page)

    # The second finds it full, joins the waiting list, and does not see the link.
    sign_in(page, base, second)
    visit(page, f"{base}/community/{space.slug}/sessions/")
    assert "Full: waiting list open" in page.content()
    assert_accessible(page)
    visit(page, url)
    assert "meet.example.nhs.uk" not in page.content()
    page.get_by_role("button", name="Join the waiting list").click()
    page.get_by_text("The session is full, so you are on the waiting list.").wait_for()
    assert "You are on the waiting list." in page.content()
    assert_accessible(page)

    # The first gives up their place.
    sign_in(page, base, first)
    visit(page, url)
    page.get_by_role("button", name="Give up my place").click()
    page.get_by_text("You have withdrawn from this session.").wait_for()
    assert_accessible(page)
    visit(page, f"{base}/notifications/")
    page.get_by_text("You gave up your place at “Winter reflective group”", exact=False).wait_for()
    assert_accessible(page)

    # The second has the place now, with a notice saying so, and sees the link.
    assert SessionSignup.objects.get(user=second).status == SignupStatus.PLACE
    sign_in(page, base, second)
    visit(page, f"{base}/notifications/")
    page.get_by_text("A place came up at “Winter reflective group”", exact=False).wait_for()
    assert_accessible(page)
    visit(page, url)
    assert "You have a place." in page.content()
    expect(page.get_by_role("link", name="Join the online meeting")).to_be_visible()

    # The facilitator moves it a day later; the person with the place is told.
    sign_in(page, base, facilitator)
    visit(page, url)
    page.get_by_role("link", name="Change or reschedule this session").click()
    page.wait_for_url("**/edit/")
    assert_accessible(page)
    later = timezone.localtime(s.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date and time it starts").fill(later)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("The session is saved.", exact=False).wait_for()
    assert_accessible(page)
    s.refresh_from_db()
    assert s.sequence == 1
    sign_in(page, base, second)
    visit(page, f"{base}/notifications/")
    page.get_by_text("“Winter reflective group” has moved to", exact=False).wait_for()

    # The facilitator schedules a weekly series of three from the sessions page.
    sign_in(page, base, facilitator)
    visit(page, f"{base}/community/{space.slug}/sessions/")
    assert_accessible(page)
    start = timezone.localtime(timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Title").fill("Spring series")
    page.get_by_label("Date and time it starts").fill(start)
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Places").fill("6")
    page.get_by_label("Joining details").fill("Room 4")
    page.get_by_label("Every week, at the same time").check()
    page.get_by_label("How many sessions in the series").fill("3")
    page.get_by_role("button", name="Schedule session").click()
    page.get_by_text("The session is scheduled.").wait_for()
    assert "One of a series of sessions." in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Change or reschedule this session").click()
    page.wait_for_url("**/edit/")
    expect(page.get_by_label("This session and every later one in the series")).to_be_visible()
    assert_accessible(page)
    assert s.space.sessions.filter(title="Spring series").count() == 3
