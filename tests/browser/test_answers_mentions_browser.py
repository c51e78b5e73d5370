"""Answers and mentions in a real browser, axe-core clean on every page.

1. In a question-and-answer space a member marks a reply "This helped me" (the count changes in
   place, and the mark is taken back the same way); the person who asked marks it as the answer,
   which then shows under the question with a link to the reply; its author is told.
2. Writing a reply with the keyboard only: typing @ and the start of a name lists the space's
   members; the arrow keys move through the list and Enter chooses; the reply is posted and the
   person chosen (not someone with a like name, nor anyone outside the space) is told.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community.models import Post, PostHelped
from learning.models import Notification

from ..community_factories import SpaceFactory, facilitated_space, member, reply, thread
from ..factories import UserFactory
from .conftest import assert_accessible, visit
from .test_community_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_this_helped_and_the_answer(page, live_server):
    base = live_server.url
    space, _facilitator = facilitated_space(name="Birth planning", questions_and_answers=True)
    asker = member(space, UserFactory(display_name="Asha Asker")).user
    helper = member(space, UserFactory(display_name="Hal Helper")).user
    reader = member(space, UserFactory(display_name="Rae Reader")).user
    question = thread(space, asker, title="Who writes the birth plan?", body="Who starts it?")
    answer = reply(question, helper, body="The midwife writes it with the woman.")
    url = f"{base}/community/{space.slug}/{question.pk}/"

    sign_in(page, base, reader)
    visit(page, url)
    assert_accessible(page)
    helped = page.get_by_role("button", name="This helped me")
    expect(helped).to_have_attribute("aria-pressed", "false")
    helped.click()
    expect(page.locator(f"#post-{answer.pk}-helped")).to_have_text("This helped 1 person.")
    expect(helped).to_have_attribute("aria-pressed", "true")
    assert PostHelped.objects.filter(post=answer, user=reader).exists()
    assert page.url == url  # changed in place, no reload
    assert_accessible(page)
    helped.click()
    expect(page.locator(f"#post-{answer.pk}-helped")).to_have_text("")
    expect(helped).to_have_attribute("aria-pressed", "false")
    assert not PostHelped.objects.exists()
    helped.click()
    expect(helped).to_have_attribute("aria-pressed", "true")

    sign_in(page, base, asker)
    visit(page, url)
    expect(page.locator(f"#post-{answer.pk}-helped")).to_have_text("This helped 1 person.")
    assert "Rae Reader" not in page.content()  # a count, never who
    page.get_by_role("button", name="Mark as the answer").click()
    page.get_by_text("This reply is marked as the answer.").wait_for()
    box = page.get_by_role("region", name="Answer")
    expect(box).to_contain_text("Written by Hal Helper")
    expect(box).to_contain_text("The midwife writes it with the woman.")
    assert_accessible(page)
    box.get_by_role("link", name="Go to the answer in the thread").click()
    page.wait_for_url(f"**#post-{answer.pk}")
    assert Post.objects.get(is_accepted=True) == answer
    assert Notification.objects.filter(recipient=helper, kind="community.answer").exists()


def test_mention_suggestions_by_keyboard(page, live_server):
    base = live_server.url
    space, _facilitator = facilitated_space(name="Court work")
    writer = member(space, UserFactory(display_name="Wren Writer")).user
    sam = member(space, UserFactory(display_name="Sam Practitioner")).user
    member(space, UserFactory(display_name="Samira Sahota"))
    outsider = UserFactory(display_name="Sam Outsider")
    member(SpaceFactory(), outsider)
    topic = thread(space, writer, title="Preparing statements")

    sign_in(page, base, writer)
    visit(page, f"{base}/community/{space.slug}/{topic.pk}/")
    box = page.get_by_label("Your reply")
    box.focus()
    page.keyboard.type("Thank you @sam")
    listbox = page.get_by_role("listbox", name="People to mention")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)  # the space's members only
    expect(options.nth(0)).to_have_text("Sam Practitioner")
    expect(box).to_have_attribute("aria-activedescendant", f"{box.get_attribute('id')}-mentions-0")
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value("Thank you @Sam Practitioner ")
    page.keyboard.type("for the template.")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    assert_accessible(page)
    assert Notification.objects.filter(recipient=sam, kind="community.mention").count() == 1
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert not Notification.objects.filter(kind="community.mention").exclude(recipient=sam)
