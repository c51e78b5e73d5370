"""Journal extras in a browser: autosave keeps a draft and says when, and the text hides after
the idle timeout until the person chooses to show it. axe-core clean throughout."""

from __future__ import annotations

import pytest

from learning.models import Role
from reflection.models import JournalEntry

from ..factories import PASSWORD, MembershipFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, user):
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
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
    assert not page.get_by_role("link", name="Written in the browser").is_visible()
    assert_accessible(page)
    reveal.click()
    assert page.get_by_role("link", name="Written in the browser").is_visible()
