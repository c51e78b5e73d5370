"""The "Cymraeg" / "English" link in a real browser, axe-core clean in both languages: someone
not signed in switches and the browser remembers it; someone signed in switches, and their
choice follows them to another browser when they sign in there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learning.models import User

from ..factories import PASSWORD, UserFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, email: str, button: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()


def test_someone_not_signed_in_switches_to_welsh_and_back(page, live_server):
    base = live_server.url
    visit(page, f"{base}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    link = page.get_by_role("link", name="Cymraeg")
    assert link.get_attribute("lang") == "cy"
    assert link.get_attribute("hreflang") == "cy"
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.get_by_role("heading", name="Mewngofnodi")).to_be_visible()
    assert_accessible(page)
    # The browser remembers it on the next page.
    visit(page, f"{base}/accessibility/")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/accessibility/")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert_accessible(page)


def test_a_signed_in_choice_follows_the_person_to_another_browser(page, browser, live_server):
    base = live_server.url
    user = UserFactory(display_name="Nia Nyrs")
    _sign_in(page, base, user.email, "Sign in")
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url("**/dashboard/")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    assert_accessible(page)
    assert User.objects.get(pk=user.pk).language == "cy"

    other = browser.new_context(locale="en-GB")
    try:
        fresh = other.new_page()
        _sign_in(fresh, base, user.email, "Sign in")
        fresh.wait_for_url("**/dashboard/")
        assert fresh.locator("html").get_attribute("lang") == "cy"
        assert_accessible(fresh)
    finally:
        other.close()
