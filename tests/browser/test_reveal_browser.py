"""Revealing an anonymous author in a real browser, with two facilitators of one space: the
first asks with a reason and sees no name; the second reads the request from their notice and
confirms; both then see the author, and every page is axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..community_factories import facilitated_space, member, thread
from ..factories import UserFactory
from .conftest import assert_accessible, visit
from .test_community_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_two_facilitators_reveal_an_anonymous_author(page, live_server):
    base = live_server.url
    space, first = facilitated_space(name="Regional group: North East")
    second = UserFactory(display_name="Sam Second")
    space.facilitators.add(second)
    member(space, second)
    writer = member(space, UserFactory(display_name="Ada Anonymous")).user
    anonymous = thread(space, writer, anonymous=True, title="Worried about tonight")

    sign_in(page, base, first)
    visit(page, f"{base}/community/moderation/threads/{anonymous.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Ask to reveal the author").click()
    expect(page.get_by_text("Give a reason").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why you need to know who wrote it").fill(
        "A safeguarding concern about a child named in the thread."
    )
    page.get_by_role("button", name="Ask to reveal the author").click()
    page.wait_for_url("**/community/moderation/reveals/*/")
    expect(page.get_by_text("must confirm this request")).to_be_visible()
    assert "Ada Anonymous" not in page.content()
    assert_accessible(page)

    sign_in(page, base, second)
    visit(page, f"{base}/notifications/")
    page.get_by_role("button", name="asks to reveal who wrote an anonymous thread").first.click()
    page.wait_for_url("**/community/moderation/reveals/*/")
    assert "Ada Anonymous" not in page.content()
    assert_accessible(page)
    # Keyboard only: focus the button and press Enter.
    page.get_by_role("button", name="Confirm and reveal the author").focus()
    page.keyboard.press("Enter")
    page.get_by_text("This thread was written by Ada Anonymous").wait_for()
    assert_accessible(page)

    sign_in(page, base, first)
    visit(page, f"{base}/notifications/")
    page.get_by_role("button", name="was confirmed").first.click()
    page.get_by_text("This thread was written by Ada Anonymous").wait_for()
