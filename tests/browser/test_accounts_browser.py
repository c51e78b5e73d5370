"""A person's own account in chromium: a name at sign-up and "Your details", the show/hide
password button, "Forgotten your password?" as a link, and the warning before the idle
sign-out that lets them stay signed in (on the journal form too). axe on every page."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from learning.middleware import LAST_SEEN
from learning.models import User

from ..factories import PASSWORD, UserFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, email: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_password_can_be_shown_and_forgotten_password_is_a_link(page, live_server):
    visit(page, f"{live_server.url}/accounts/login/")
    field = page.get_by_label("Password", exact=True)
    field.fill("secret words")
    assert field.get_attribute("type") == "password"
    page.get_by_role("button", name="Show password").click()
    assert field.get_attribute("type") == "text"
    assert_accessible(page)
    page.get_by_role("button", name="Hide password").click()
    assert field.get_attribute("type") == "password"
    page.get_by_role("link", name="Forgotten your password?").click()
    page.wait_for_url("**/accounts/password/reset/")
    assert_accessible(page)


def test_someone_without_a_name_is_asked_once_and_can_change_it(page, live_server):
    base = live_server.url
    user = UserFactory(display_name="", email="newcomer.nurse@example.nhs.uk")
    _sign_in(page, base, user.email)
    page.wait_for_url("**/account/details/?next=*")
    expect(page.get_by_text("We do not have your name yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # nothing typed: the error is tied to it
    expect(page.get_by_text("There is a problem")).to_be_visible()
    described = page.get_by_label("Full name").get_attribute("aria-describedby")
    assert "id_display_name-error" in described
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia Newcomer")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_text("Nia Newcomer").first).to_be_visible()
    assert "newcomer.nurse" not in page.locator("header").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Nia Newcomer").click()
    page.wait_for_url("**/account/details/")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia N Newcomer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
    assert User.objects.get(pk=user.pk).display_name == "Nia N Newcomer"


# The page's timers run on Playwright's clock, so the tests move it on to the warning instead of
# waiting for it; the server's idle limit still runs on real time.
WARNING_OPENS = 6_000  # milliseconds: the warning opens about 5 seconds in


def test_the_idle_warning_lets_a_person_stay_signed_in(page, live_server, settings):
    settings.HOPE_SESSION_IDLE_MINUTES = 1
    settings.HOPE_SESSION_WARNING_SECONDS = 55  # the warning opens about 5 seconds in
    page.clock.install()
    base = live_server.url
    user = UserFactory()
    _sign_in(page, base, user.email)
    page.wait_for_url("**/dashboard/")
    visit(page, f"{base}/journal/new/")
    page.get_by_label("Gibbs' reflective cycle").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Description").click()  # writing a reflection
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    page.clock.fast_forward(WARNING_OPENS)
    dialog.wait_for(state="visible")
    stay = dialog.get_by_role("button", name="Stay signed in")
    assert stay.evaluate("el => el === document.activeElement")
    assert_accessible(page)
    before = time.time()
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    # Focus goes back where the person was typing, and the server counted the activity.
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    from django.contrib.sessions.models import Session

    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert any(s.get(LAST_SEEN, 0) >= before - 1 for s in sessions)
    # Escape also means "I am still here".
    page.clock.fast_forward(WARNING_OPENS)
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")


def test_activity_in_one_tab_closes_the_idle_warning_in_another(page, live_server, settings):
    """The idle limit is the session's, so "Stay signed in" in a second tab keeps the first
    tab signed in too: its open warning closes and its countdown starts again."""
    settings.HOPE_SESSION_IDLE_MINUTES = 1
    settings.HOPE_SESSION_WARNING_SECONDS = 55  # the warning opens about 5 seconds in
    page.clock.install()  # one clock for every tab of the context
    base = live_server.url
    user = UserFactory()
    _sign_in(page, base, user.email)
    page.wait_for_url("**/dashboard/")
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    page.clock.fast_forward(WARNING_OPENS)
    dialog.wait_for(state="visible")
    other = page.context.new_page()
    visit(other, f"{base}/learning/")
    # The same session, so the second tab warns as its countdown reaches the same deadline.
    other_dialog = other.get_by_role("alertdialog", name="You will be signed out soon")
    page.clock.fast_forward(WARNING_OPENS)
    other_dialog.wait_for(state="visible")
    other_dialog.get_by_role("button", name="Stay signed in").click()
    other_dialog.wait_for(state="hidden")
    dialog.wait_for(state="hidden", timeout=10_000)
    assert page.url.endswith("/dashboard/")  # still signed in, still where they were
    other.close()
