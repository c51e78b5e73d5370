"""A supervisor records a session with an action; the supervisee completes a check-in,
confirms the record and sees the action on "My home". axe-core clean on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import Role
from reflection.supervision.models import SupervisionCheckIn, SupervisionSession

from ..factories import PASSWORD, MembershipFactory
from ..supervision_factories import make_relationship
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user):
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    assert_accessible(page)


def fill_date(page, name: str, when) -> None:
    """The NHS date input: day, month and year boxes, not a browser date picker."""
    page.locator(f"#id_{name}_day").fill(str(when.day))
    page.locator(f"#id_{name}_month").fill(str(when.month))
    page.locator(f"#id_{name}_year").fill(str(when.year))


def test_record_check_in_confirm_and_follow_up(page, live_server):
    base = live_server.url
    membership = MembershipFactory(role=Role.PRACTITIONER)
    supervisee = membership.user
    supervisor = MembershipFactory(role=Role.SUPERVISOR, organisation=membership.organisation).user
    rel = make_relationship(supervisee, supervisor)
    today = timezone.localdate()

    sign_in(page, base, supervisor)
    visit(page, f"{base}/supervision/")
    page.get_by_role("link", name="Record a session").click()
    page.wait_for_url("**/supervision/new/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Clinical supervision: supervising {supervisee}").click()
    page.wait_for_url(f"**/supervision/new/?relationship={rel.pk}")
    assert_accessible(page)
    assert page.locator("input[type=date]").count() == 0
    expect(page.get_by_role("group", name="Date of the session")).to_be_visible()
    fill_date(page, "held_on", today - timedelta(days=1))
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Restorative: support and wellbeing").check()
    page.get_by_label("Discussion summary").fill("We talked about a hard week and what helps.")
    page.get_by_label("Action 1").fill("Book a reflective practice group.")
    fill_date(page, "next_on", today + timedelta(weeks=4))
    page.get_by_role("button", name="Save and send to confirm").click()
    page.get_by_text("The record is saved and sent").wait_for()
    assert_accessible(page)
    session = SupervisionSession.objects.get()
    page.context.clear_cookies()

    sign_in(page, base, supervisee)
    visit(page, f"{base}/supervision/")
    page.get_by_role("link", name="Session on").first.click()
    page.wait_for_url(f"**/supervision/{session.pk}/confirm/")
    assert_accessible(page)
    page.get_by_role("link", name="Read the record").click()
    page.wait_for_url(f"**/supervision/{session.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Complete a check-in").click()
    page.wait_for_url(f"**/supervision/{session.pk}/check-in/")
    assert_accessible(page)
    page.locator("#id_workload_3").check()
    page.locator("#id_emotional_impact_3").check()
    page.locator("#id_support_4").check()
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_text("Your check-in is saved.").wait_for()
    assert_accessible(page)
    assert SupervisionCheckIn.objects.get().shared_with_supervisor is False
    page.get_by_role("link", name="Confirm or ask for a change").click()
    page.wait_for_url(f"**/supervision/{session.pk}/confirm/")
    page.get_by_label("Yes, confirm it").check()
    page.get_by_role("button", name="Send").click()
    page.get_by_text("You have confirmed the record. It is now locked.").wait_for()
    assert_accessible(page)
    session.refresh_from_db()
    assert session.is_locked

    visit(page, f"{base}/dashboard/")
    expect(page.get_by_text("Book a reflective practice group.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Mark as done").click()
    page.get_by_text("The action is marked as done.").wait_for()
    assert_accessible(page)
    assert not page.get_by_text("Book a reflective practice group.", exact=True).count()


def test_the_other_supervision_pages_are_accessible(page, live_server):
    """Proposing (with an error), the agreement, the identifier panel (on a summary and on
    check-in notes), support routes after a hard check-in, an addendum, the calendar link, the
    export page and the organisation view."""
    from ..supervision_factories import make_session

    base = live_server.url
    membership = MembershipFactory(role=Role.PRACTITIONER)
    supervisee = membership.user
    admin = MembershipFactory(role=Role.ORG_ADMIN, organisation=membership.organisation).user
    rel = make_relationship(supervisee)
    session = make_session(rel)
    locked = make_session(rel, locked=True, held_on=timezone.localdate() - timedelta(days=60))

    sign_in(page, base, supervisee)
    visit(page, f"{base}/supervision/relationships/new/")
    page.get_by_role("button", name="Send the proposal").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    visit(page, f"{base}/supervision/relationships/{rel.pk}/")
    visit(page, f"{base}/supervision/new/?relationship={rel.pk}")
    # Progressive enhancement: fields that do not apply to the format are tucked away.
    attendance = page.get_by_label("Log attendance only, with no summary or actions")
    expect(attendance).to_be_hidden()
    expect(page.get_by_label("Other members")).to_be_hidden()
    page.get_by_label("Schwartz Round or similar").check()
    attendance.check()
    expect(page.get_by_label("Discussion summary")).to_be_hidden()
    assert_accessible(page)
    attendance.uncheck()
    page.get_by_label("One-to-one").check()
    expect(page.get_by_label("Discussion summary")).to_be_visible()
    fill_date(page, "held_on", timezone.localdate())
    page.get_by_label("Length in minutes").fill("45")
    page.get_by_label("Formative: learning and developing skills").check()
    page.get_by_label("Discussion summary").fill("We talked about Mrs Example's hearing.")
    page.get_by_role("button", name="Save and send to confirm").click()
    page.get_by_text("Check these details before you save").wait_for()
    assert_accessible(page)
    assert "We talked about Mrs Example" in page.get_by_label("Discussion summary").input_value()

    visit(page, f"{base}/supervision/{session.pk}/check-in/")
    page.locator("#id_workload_1").check()
    page.locator("#id_emotional_impact_2").check()
    page.locator("#id_support_2").check()
    notes = page.get_by_label("Anything else you want to note (optional)")
    notes.fill("Thinking about Mrs Example all week.")
    page.get_by_role("button", name="Save my check-in").click()
    # The notes pass the identifier guard too: highlighted, kept, confirmed by keyboard.
    page.get_by_text("Check these details before you save").wait_for()
    assert_accessible(page)
    assert notes.input_value() == "Thinking about Mrs Example all week."
    assert not SupervisionCheckIn.objects.exists()
    page.get_by_label("These are not identifying details").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_text("Support is there if you need it").first.wait_for()
    assert_accessible(page)

    visit(page, f"{base}/supervision/{locked.pk}/")
    page.get_by_role("button", name="Add an addendum").click()  # nothing written
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    visit(page, f"{base}/supervision/calendar/")
    page.get_by_role("button", name="Make a calendar link").click()
    page.get_by_text("Your private calendar link.").wait_for()
    assert_accessible(page)
    visit(page, f"{base}/supervision/export/")
    page.context.clear_cookies()

    sign_in(page, base, admin)
    visit(page, f"{base}/supervision/organisation/{membership.organisation.slug}/")
    assert page.get_by_text("Within frequency").count() == 1
