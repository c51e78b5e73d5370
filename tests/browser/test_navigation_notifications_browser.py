"""The header links by role (each role sees its links and nothing more, by keyboard and on a
390 px phone) and the email settings page per group of notices (axe-clean, errors explained)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learning.models import NotificationPreference, Role
from tests.community_factories import facilitated_space
from tests.factories import PASSWORD, MembershipFactory

from .conftest import assert_accessible, resize, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

ROLE_LINKS = ("Moderation", "Members", "Assignments", "Reports")


def _sign_in(page, base: str, user) -> None:
    page.context.clear_cookies()
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def _menu(page):
    return page.get_by_role("navigation", name="Menu")


def _role_links(page) -> set[str]:
    """The role links the header's menu holds (shown, or folded under "More")."""
    names = _menu(page).locator("a").evaluate_all("links => links.map(a => a.textContent.trim())")
    return {name for name in names if name in ROLE_LINKS}


def _tab_to(page, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent.trim()")
        if focused == name:
            return
    raise AssertionError(f"{name} is not reachable with the Tab key")


def test_each_role_sees_its_header_links_and_nothing_more(page, live_server, organisation):
    base = live_server.url
    practitioner = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    _space, facilitator = facilitated_space()
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user

    _sign_in(page, base, practitioner)
    assert _role_links(page) == set()
    assert_accessible(page)

    _sign_in(page, base, facilitator)
    assert _role_links(page) == {"Moderation"}
    _tab_to(page, "Moderation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/community/moderation/")
    assert_accessible(page)

    _sign_in(page, base, admin)
    assert _role_links(page) == {"Members", "Assignments", "Reports"}
    _tab_to(page, "Members")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/organisations/{organisation.slug}/members/")
    current = _menu(page).get_by_role("link", name="Members")
    assert current.get_attribute("aria-current") == "page"
    assert_accessible(page)

    # On a phone the links that do not fit fold under "More", still reachable.
    resize(page, 390, 844)
    visit(page, f"{base}/dashboard/")
    more = _menu(page).get_by_role("button", name="More")
    if more.is_visible():
        more.click()
    link = _menu(page).get_by_role("link", name="Assignments")
    expect(link).to_be_visible()
    assert_accessible(page)
    link.click()
    page.wait_for_url(f"**/organisations/{organisation.slug}/assignments/")
    assert_accessible(page)


def test_email_settings_per_group_with_quiet_hours(page, live_server, organisation):
    base = live_server.url
    person = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    _sign_in(page, base, person)
    visit(page, f"{base}/notifications/settings/")
    assert_accessible(page)
    replies = page.get_by_role("group", name="Replies")
    replies.get_by_label("Never: I will check on the site").check()
    page.get_by_role("group", name="Things waiting for you").get_by_label(
        "Once a day, in a summary"
    ).check()
    page.get_by_label("Start").fill("22:00")
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.get_by_role("link", name="Enter the time quiet hours end, like 07:00.").click()
    assert page.evaluate("() => document.activeElement.id") == "id_quiet_until"
    assert_accessible(page)
    page.get_by_label("End").fill("07:00")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your email settings are saved.").wait_for()
    preference = NotificationPreference.objects.get(user=person)
    assert (preference.replies, preference.waiting, preference.mentions) == (
        "off",
        "daily",
        "immediately",
    )
    assert preference.quiet_from.strftime("%H:%M") == "22:00"
    assert preference.quiet_until.strftime("%H:%M") == "07:00"
    resize(page, 390, 844)
    visit(page, f"{base}/notifications/settings/")
    assert page.get_by_label("End").input_value() == "07:00"
    assert_accessible(page)
