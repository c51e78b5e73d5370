"""The one highlight-and-confirm panel in a real browser, where the journal and supervision
journeys do not already show it: a community reply and a summary shared for sign-off. Each is
warned, keeps the text, is confirmed with the checkbox and saved; axe-core clean throughout."""

from __future__ import annotations

import pytest

from community.models import Post
from learning.models import AuditEvent, Role
from reflection.models import SignOffRequest

from ..community_factories import SpaceFactory, member, thread
from ..factories import PASSWORD, MembershipFactory, UserFactory
from ..journal_factories import make_entry
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

PHONE = "07700 900123"
NHS_NUMBER = "943 476 5919"


def sign_in(page, base, user):
    page.context.clear_cookies()
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_a_reply_with_a_phone_number_is_confirmed_then_posted(page, live_server):
    base = live_server.url
    space = SpaceFactory(name="HOPE Boxes practitioners")
    writer = member(space, UserFactory(display_name="Wren Writer"), approved_posts=9).user
    opened = thread(space, title="Who do you ring?", body="After the hearing, who do you ring?")

    sign_in(page, base, writer)
    visit(page, f"{base}/community/{space.slug}/{opened.pk}/")
    page.get_by_label("Your reply").fill(f"I rang the ward on {PHONE} and asked for the midwife.")
    page.get_by_role("button", name="Post reply").click()

    page.get_by_text("Check these details before you post").wait_for()
    assert page.locator("mark.hope-identifier").first.inner_text().startswith(PHONE)
    assert PHONE in page.get_by_label("Your reply").input_value()  # kept as typed
    assert not page.get_by_label("These are not identifying details").is_checked()
    assert_accessible(page)
    assert not Post.objects.filter(author=writer).exists()

    page.get_by_label("These are not identifying details").check()
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    assert_accessible(page)
    post = Post.objects.get(author=writer)
    assert post.identifiers_confirmed
    event = AuditEvent.objects.get(action="community.reply_created")
    assert event.data["identifier_kinds"] == ["phone"] and PHONE not in repr(event.data)


def test_a_summary_with_an_nhs_number_is_confirmed_then_shared(page, live_server):
    base = live_server.url
    practitioner = MembershipFactory(role=Role.PRACTITIONER).user
    MembershipFactory(
        role=Role.SUPERVISOR,
        organisation=practitioner.memberships.get().organisation,
        user=UserFactory(display_name="Sam Supervisor"),
    )
    entry = make_entry(practitioner, summary=f"<p>I wrote {NHS_NUMBER} in my notes.</p>")

    sign_in(page, base, practitioner)
    visit(page, f"{base}/journal/{entry.pk}/share/")
    page.get_by_label("Sam Supervisor").check()
    page.get_by_role("button", name="Share the summary").click()

    page.get_by_text("Check these details before you share").wait_for()
    panel = page.locator("#identifiers")
    assert panel.get_by_role("link", name="Learning summary").get_attribute("href") == "#summary"
    assert panel.locator("mark.hope-identifier").first.inner_text().startswith(NHS_NUMBER)
    assert_accessible(page)
    assert not SignOffRequest.objects.exists()

    page.get_by_label("Sam Supervisor").check()
    page.get_by_label("These are not identifying details").check()
    page.get_by_role("button", name="Share the summary").click()
    page.get_by_text("Your learning summary has been shared.").wait_for()
    assert_accessible(page)
    event = AuditEvent.objects.get(action="signoff.shared")
    assert event.data["identifier_kinds"] == ["nhs_number"]
    assert NHS_NUMBER not in repr(event.data)
