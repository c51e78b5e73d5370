"""Journal extras in a browser: autosave keeps a draft and says when, and the text hides after
the idle timeout until the person chooses to show it. axe-core clean throughout."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learning.models import Role
from reflection.models import JournalEntry

from ..factories import PASSWORD, MembershipFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, user):
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_autosave_then_idle_privacy(page, live_server):
    base = live_server.url
    user = MembershipFactory(role=Role.PRACTITIONER).user
    _sign_in(page, base, user)

    visit(page, f"{base}/journal/new/?model=rolfe")
    # A short autosave delay for the test (the page's default is 20 seconds).
    page.evaluate(
        "document.querySelector('form[data-hope-autosave]').dataset.autosaveSeconds = '1'"
    )
    page.get_by_label("Title").fill("Written in the browser")
    page.get_by_label("What?", exact=True).fill("A first thought, kept as I write.")
    page.get_by_text("Draft saved at").wait_for()
    assert_accessible(page)
    entry = JournalEntry.objects.get()
    assert entry.is_draft and entry.title == "Written in the browser"

    # Saving now edits the draft rather than making a second entry.
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Your changes are saved.").wait_for()
    assert JournalEntry.objects.count() == 1
    entry.refresh_from_db()
    assert not entry.is_draft

    # Idle privacy, with a tiny timeout.
    visit(page, f"{base}/journal/")
    page.evaluate("document.querySelector('[data-idle-seconds]').dataset.idleSeconds = '1'")
    page.keyboard.press("Shift")
    reveal = page.get_by_role("button", name="Hidden for privacy — select to show")
    reveal.wait_for()
    expect(page.get_by_role("link", name="Written in the browser")).to_be_hidden()
    assert_accessible(page)
    reveal.click()
    expect(page.get_by_role("link", name="Written in the browser")).to_be_visible()


def _age_session(page, seconds: int) -> None:
    """Make the browser's session look idle for ``seconds`` (as if the person walked away)."""
    import time
    from importlib import import_module

    from django.conf import settings

    from learning.middleware import LAST_SEEN, SIGNED_IN_AT

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[SIGNED_IN_AT] = time.time() - seconds
    session[LAST_SEEN] = time.time() - seconds
    session.save()


def test_two_people_on_one_browser_never_see_each_others_kept_text(page, live_server):
    """A is signed out for being idle while writing; what A wrote is kept for A only. B signs
    in next on the same browser and gets an empty form; A's text has been discarded."""
    base = live_server.url
    first = MembershipFactory(role=Role.PRACTITIONER).user
    second = MembershipFactory(role=Role.PRACTITIONER).user
    _sign_in(page, base, first)
    visit(page, f"{base}/journal/new/?model=free")
    page.get_by_label("Title").fill("Night shift")
    page.get_by_label("Your reflection").fill("Only the first person wrote this.")
    _age_session(page, 7200)
    page.get_by_role("button", name="Save reflection").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.get_by_text("we kept what you wrote").count() == 1
    assert_accessible(page)

    # The next person signs in on the same browser.
    page.get_by_label("Email").fill(second.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/journal/new/**")
    assert page.get_by_label("Your reflection").input_value() == ""
    assert "Only the first person wrote this." not in page.content()
    assert page.get_by_text("We kept what you wrote").count() == 0
    assert_accessible(page)
    assert not JournalEntry.objects.exists()
