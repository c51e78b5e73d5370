"""A practitioner shares a learning summary; their supervisor signs it off with a comment; the
practitioner sees the outcome. axe-core clean on every page."""

from __future__ import annotations

import re

import pytest

from learning.models import Role
from reflection.models import SignOffRequest

from ..factories import PASSWORD, MembershipFactory
from ..journal_factories import SENTINEL, make_entry
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user):
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    assert_accessible(page)


def sign_out(page):
    page.context.clear_cookies()


def test_share_sign_off_and_see_the_outcome(page, live_server):
    base = live_server.url
    membership = MembershipFactory(role=Role.PRACTITIONER)
    practitioner = membership.user
    supervisor = MembershipFactory(role=Role.SUPERVISOR, organisation=membership.organisation).user
    entry = make_entry(practitioner)

    sign_in(page, base, practitioner)
    visit(page, f"{base}/journal/{entry.pk}/")
    page.get_by_role("link", name="Share the summary for sign-off").click()
    page.wait_for_url(f"**/journal/{entry.pk}/share/")
    assert_accessible(page)
    page.get_by_label(str(supervisor)).check()
    page.get_by_label("Note to your supervisor (optional)").fill("Can we talk on Tuesday?")
    page.get_by_role("button", name="Share the summary").click()
    page.get_by_text("Your learning summary has been shared.").wait_for()
    assert_accessible(page)
    request = SignOffRequest.objects.get()
    sign_out(page)

    sign_in(page, base, supervisor)
    assert "Waiting for your sign-off: 1" in page.content()
    page.get_by_role("link", name="Waiting for your sign-off: 1").click()
    page.wait_for_url("**/sign-off/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Learning summary from {practitioner}, version 1").click()
    page.wait_for_url(f"**/sign-off/{request.pk}/")
    assert_accessible(page)
    content = page.content()
    assert "I will ask for supervision sooner." in content and SENTINEL not in content
    page.get_by_label("Comment").fill("Thoughtful and honest. Well done.")
    page.get_by_role("button", name="Sign off", exact=True).click()
    page.get_by_text("You have signed off this reflection.").wait_for()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, base, practitioner)
    visit(page, f"{base}/journal/{entry.pk}/")
    assert page.locator("#sign-off .nhsuk-tag").all_inner_texts() == ["Signed off"]
    assert "Thoughtful and honest. Well done." in page.content()
    page.get_by_role("link", name=re.compile(r"^Version 1, shared ")).click()
    page.wait_for_url(f"**/sign-off/{request.pk}/")
    assert_accessible(page)
    assert "Thoughtful and honest. Well done." in page.content()


def test_a_long_queue_pages_and_keeps_every_request_reachable(page, live_server):
    """More summaries waiting than fit on a page: the next page of that list has the rest, and
    the first-page link comes back; both pages axe-clean."""
    from reflection.signoff.views import QUEUE_SIZE

    base = live_server.url
    membership = MembershipFactory(role=Role.PRACTITIONER)
    practitioner = membership.user
    supervisor = MembershipFactory(role=Role.SUPERVISOR, organisation=membership.organisation).user
    requests = [
        SignOffRequest.objects.create(
            entry=make_entry(practitioner, title=f"Entry {n}"),
            author=practitioner,
            supervisor=supervisor,
            version=1,
            summary="<p>Summary.</p>",
            content_hash=f"{n:064d}",
        )
        for n in range(QUEUE_SIZE + 1)
    ]
    newest = requests[-1]  # waited least, so it is on the second page

    sign_in(page, base, supervisor)
    visit(page, f"{base}/sign-off/")
    assert page.locator(f'a[href="/sign-off/{newest.pk}/"]').count() == 0
    pages = page.get_by_role("navigation", name="Pages of summaries waiting for your sign-off")
    pages.get_by_role("link", name="Next page").click()
    page.wait_for_url("**/sign-off/?waiting=*")
    assert_accessible(page)
    assert page.locator(f'a[href="/sign-off/{newest.pk}/"]').count() == 1
    pages.get_by_role("link", name="First page").click()
    page.wait_for_url("**/sign-off/")
    assert page.locator(f'a[href="/sign-off/{requests[0].pk}/"]').count() == 1
