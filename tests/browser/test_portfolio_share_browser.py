"""Sharing a revalidation portfolio in chromium: the person chooses the CPD record and one
evidence file, gets the link once, and a fresh browser without an account opens it and sees
only those parts; the person sees the opening, turns the link off, and the fresh browser gets
the not-found page. axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, UserFactory
from ..portfolio_factories import make_external_cpd, make_feedback
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, email: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/dashboard/")


def test_a_portfolio_is_shared_opened_without_an_account_and_revoked(
    page, browser, live_server, settings
):
    base = live_server.url
    settings.HOPE_BASE_URL = base  # the address the link is made with
    user = UserFactory(display_name="Nia Newcomer")
    make_external_cpd(user, title="Perinatal anxiety study day", evidence=True)
    make_external_cpd(user, title="Reading on attachment", evidence=True)
    make_feedback(user)

    _sign_in(page, base, user.email)
    visit(page, f"{base}/portfolio/")
    page.get_by_role("link", name="Share your portfolio").click()
    page.wait_for_url("**/portfolio/shares/")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Share your portfolio").click()
    page.wait_for_url("**/portfolio/shares/new/")
    assert_accessible(page)

    # Nothing chosen: told what to fix.
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your CPD record").check()
    page.get_by_label("Perinatal anxiety study day: certificate.pdf").check()
    page.get_by_label("Who it is for (optional)").fill("Sam Appraiser")
    page.get_by_label("Their role (optional)").fill("Appraiser")
    page.get_by_role("button", name="Make the link").click()
    page.get_by_role("heading", name="Your link is ready").wait_for()
    # Shown by a module script once it has run (the heading can be visible before that).
    expect(page.get_by_role("button", name="Copy the link")).to_be_visible()
    assert_accessible(page)
    link = page.get_by_label("Link to your portfolio").input_value()
    assert "/shared/" in link

    stranger = browser.new_context(locale="en-GB")
    try:
        fresh = stranger.new_page()
        visit(fresh, link)
        expect(fresh.get_by_role("heading", name="Nia Newcomer", level=1)).to_be_visible()
        assert "Perinatal anxiety study day" in fresh.locator("#shared-cpd").inner_text()
        expect(fresh.get_by_role("heading", name="CPD record")).to_be_visible()
        assert fresh.get_by_role("heading", name="Practice-related feedback").count() == 0
        assert fresh.get_by_role("heading", name="Supervision log").count() == 0
        assert "A colleague said my handover was clear." not in fresh.content()
        assert "Sam Appraiser" not in fresh.content()
        # The ticked file downloads; the other has no link.
        with fresh.expect_download() as download:
            fresh.get_by_role(
                "link", name="Download evidence for Perinatal anxiety study day"
            ).click()
        assert download.value.suggested_filename == "certificate.pdf"
        unticked = fresh.get_by_role("link", name="Download evidence for Reading on attachment")
        assert unticked.count() == 0

        page.get_by_role("link", name="See this share").click()
        page.wait_for_url("**/portfolio/shares/*/")
        expect(page.get_by_text("Opened 1 time.")).to_be_visible()
        assert "Sam Appraiser" in page.locator("main").inner_text()
        assert_accessible(page)
        page.get_by_role("link", name="Turn off the link").click()
        page.get_by_role("heading", name="Turn off this link?").wait_for()
        assert_accessible(page)
        page.get_by_role("button", name="Yes, turn it off").click()
        page.get_by_text("The link is turned off. Nobody can open it now.").wait_for()
        expect(page.locator("#share-status").get_by_text("Revoked")).to_be_visible()
        assert_accessible(page)

        response = fresh.goto(link)
        assert response is not None and response.status == 404
        expect(fresh.get_by_role("heading", name="Page not found")).to_be_visible()
        assert_accessible(fresh)
        assert "Perinatal anxiety study day" not in fresh.content()
    finally:
        stranger.close()
