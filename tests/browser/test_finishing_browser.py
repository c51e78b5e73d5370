"""Journeys for finishing things: a module completed with the sidebar, bar and ticks updated in
place and a "module complete" page at the end; a bulk invitation with a report per address;
status tags on the journal and sign-off pages; the header's notification count. axe-clean on
every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from zeal import zeal_context

from learning.models import Role
from modules.progress import selectors
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.journal_factories import make_entry
from tests.module_factories import make_module

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

SIGN_IN = re.compile("^sign in$", re.IGNORECASE)


def _sign_in(page, base: str, user) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    page.wait_for_url("**/dashboard/")


def test_completing_a_module_updates_in_place_and_ends_on_module_complete(page, live_server):
    base = live_server.url
    module = make_module(lessons=2, title="Care proceedings explained")
    make_module(lessons=1, title="Looking after yourself")
    first, second = selectors.lessons_of(module)
    user = UserFactory(display_name="Sam Learner")
    _sign_in(page, base, user)

    visit(page, base + first.url)
    check = page.locator("section.hope-check")
    check.get_by_label("The right answer").check()
    check.get_by_role("button", name="Check my answer").click()
    page.get_by_text("That's right.").wait_for()
    page.get_by_role("button", name="Mark this lesson as complete").click()
    page.get_by_text("You have completed this lesson.").wait_for()
    # Updated in place: the same page, its count, bar and tick.
    assert page.url == base + first.url
    nav = page.get_by_role("navigation", name="Lessons in this module")
    expect(nav.get_by_text("1 of 2 lessons complete")).to_be_visible()
    assert page.locator("progress.hope-progress__bar").evaluate("bar => bar.value") == 50
    ticked = nav.locator(f'li[data-lesson-id="{first.pk}"] .hope-lesson-nav__tick')
    expect(ticked).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Next lesson")).click()
    page.wait_for_url(base + second.url)
    check = page.locator("section.hope-check")
    check.get_by_label("The right answer").check()
    check.get_by_role("button", name="Check my answer").click()
    page.get_by_text("That's right.").wait_for()
    page.get_by_role("button", name="Mark this lesson as complete").click()
    page.get_by_text("You have completed this lesson.").wait_for()
    expect(nav.get_by_text("2 of 2 lessons complete")).to_be_visible()
    assert page.get_by_role("link", name="Back to the module").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Take the end-of-module check").click()
    assert_accessible(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("The right answer").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Module complete").wait_for()
    assert_accessible(page)
    # Ready to download, or still being built by its task (a link to check again).
    certificate = page.get_by_role(
        "button", name=re.compile("Download your certificate|Check if it is ready")
    )
    assert "/learning/certificates/" in certificate.get_attribute("href")
    expect(page.get_by_text("You have passed the end-of-module check.")).to_be_visible()
    expect(page.get_by_role("link", name="Looking after yourself")).to_be_visible()

    # The module's page: "Your certificate" is the certificate.
    visit(page, base + module.url)
    link = page.get_by_role("link", name="Your certificate")
    assert "/learning/certificates/" in link.get_attribute("href")


def test_admin_invites_several_colleagues_at_once(page, live_server, organisation):
    base = live_server.url
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    MembershipFactory(
        organisation=organisation, role=Role.PRACTITIONER, user__email="already@nhs.net"
    )
    _sign_in(page, base, admin)
    visit(page, f"{base}/organisations/{organisation.slug}/members/")
    page.get_by_role("link", name="Invite several colleagues at once").click()
    assert_accessible(page)

    page.get_by_role("button", name="Send invitations").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)

    page.get_by_label("Email addresses").fill(
        "ana@nhs.net, bo@nhs.net; not an address\nalready@nhs.net\nana@nhs.net"
    )
    page.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Send invitations").click()
    page.get_by_text("2 invitations sent.").wait_for()
    assert_accessible(page)
    results = page.locator("#invite-results")
    assert "Invitation sent." in results.inner_text()
    assert "already a member" in results.inner_text()
    assert "listed more than once" in results.inner_text()
    box = page.get_by_label("Email addresses").input_value()
    assert "an" in box and "ana@nhs.net" not in box


def test_status_tags_and_the_header_count(page, live_server, organisation):
    from learning.notify import notify
    from reflection.signoff import services as signoff

    base = live_server.url
    practitioner = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    supervisor = MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user
    make_entry(practitioner, title="Kept private")
    for title in ("First shared", "Second shared"):
        with zeal_context():  # each shared in a request of its own
            signoff.signoff_request_create(
                author=practitioner,
                entry=make_entry(practitioner, title=title, summary=f"<p>{title} summary.</p>"),
                supervisor=supervisor,
            )
    notify(recipient=practitioner, kind="x", message=lambda: "Something for you.", url="/journal/")

    _sign_in(page, base, practitioner)
    header = page.locator(".hope-header-notifications")
    assert "1 new" in header.text_content()
    visit(page, f"{base}/journal/")
    assert page.locator(".hope-journal-list .nhsuk-tag").all_inner_texts() == [
        "Shared",
        "Shared",
    ]
    page.get_by_role("link", name="First shared").click()
    assert_accessible(page)
    assert page.get_by_role("link", name="Share the summary for sign-off").count() == 0

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, supervisor)
    visit(page, f"{base}/sign-off/")
    rows = page.locator("ul.nhsuk-list--border").first.locator("li")
    assert rows.count() == 2
    assert rows.nth(0).inner_text() != rows.nth(1).inner_text()
