"""Community search and saved threads in a real browser: a member finds a month-old reply by
a word in it (highlighted), never a post awaiting review or from a space they are not in,
narrows the search to one space, opens the thread at the reply, saves the thread, finds it on
"Saved" and removes it. axe-core clean on every page, and the forms work from the keyboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import MembershipPolicy, Post, PostStatus, PreModeration

from ..community_factories import SpaceFactory, facilitated_space, member, reply, thread
from ..factories import UserFactory
from .conftest import assert_accessible, visit
from .test_community_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_search_find_a_reply_save_the_thread_and_remove_it(page, live_server):
    base = live_server.url
    space, facilitator = facilitated_space(
        name="Separation support",
        membership_policy=MembershipPolicy.REQUEST,
        premoderation=PreModeration.FIRST_POSTS,
    )
    space.premoderation_posts = 3
    space.save()
    second = SpaceFactory(name="Birth plans")
    searcher = member(space, UserFactory(display_name="Sam Searcher")).user
    member(second, searcher)
    t = thread(space, facilitator, title="Memory making", body="How do you start?")
    helper = member(space, approved_posts=9).user
    old = reply(t, helper, body="We keep a lantern lit in the family room.")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=32))
    newcomer = member(space).user
    waiting = reply(t, newcomer, body="A lantern post awaiting review.")
    assert waiting.status == PostStatus.PENDING
    thread(second, title="Birth plan lantern", body="A lantern in the birth plan.")
    others = SpaceFactory(name="Closed elsewhere", membership_policy=MembershipPolicy.INVITATION)
    thread(others, title="Not yours", body="A lantern you cannot see.")

    sign_in(page, base, searcher)
    visit(page, f"{base}/community/")
    page.get_by_role("link", name="Search the spaces you belong to").click()
    page.wait_for_url("**/community/search/")
    assert_accessible(page)
    field = page.get_by_label("Words to find")
    field.fill("lantern")
    field.press("Enter")  # the keyboard submits the form
    page.wait_for_url("**/community/search/?q=lantern**")
    assert_accessible(page)
    results = page.locator(".hope-search-results")
    assert results.locator("mark").first.inner_text().lower() == "lantern"
    text = results.inner_text()
    assert "Memory making" in text and "Birth plan lantern" in text
    assert "awaiting review" not in text and "Not yours" not in text

    # Narrowed to one space.
    page.get_by_label("Space").select_option(label="Separation support")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**space=**")
    assert_accessible(page)
    assert "Birth plan lantern" not in page.locator(".hope-search-results").inner_text()

    # The result opens the thread at the reply; the thread is saved from there.
    page.get_by_role("link", name="Memory making").click()
    page.wait_for_url(f"**/community/{space.slug}/{t.pk}/**")
    expect(page.locator(f"#post-{old.pk}")).to_be_visible()
    page.get_by_role("button", name="Save this thread").click()
    page.get_by_text("The thread is in your saved threads.").wait_for()
    assert_accessible(page)

    visit(page, f"{base}/community/")
    page.get_by_role("link", name="Your saved threads").click()
    page.wait_for_url("**/community/saved/")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Memory making")).to_be_visible()
    page.get_by_role("button", name="Remove Memory making from your saved threads").click()
    page.get_by_text("The thread is no longer in your saved threads.").wait_for()
    assert "You have not saved any threads" in page.content()
    assert_accessible(page)
