"""What a new person meets on first use, checked in chromium with axe (every WCAG 2.2 A and AA
rule, target-size included): a lesson with two knowledge checks, the audit log, a download
still being prepared (no timed refresh), character counts on long text, the NHS date input on
the supervision form, /supervision/ on a 390px phone, the moderation buttons, the module facts,
the confidence questions and the favicon."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import PostStatus, PreModeration
from learning.models import DataExport, Role
from learning.services import audit_record
from modules.models import LessonPage
from modules.progress import selectors

from ..community_factories import facilitated_space, member, reply, thread
from ..factories import PASSWORD, MembershipFactory, UserFactory
from ..module_factories import check_block, make_module
from ..supervision_factories import make_relationship, make_session
from .conftest import assert_accessible, resize, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user):
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_a_lesson_with_two_checks_and_the_module_facts(page, live_server):
    base = live_server.url
    module = make_module(lessons=1)
    lesson = LessonPage.objects.get(pk=selectors.lessons_of(module)[0].pk)
    lesson.body = [*lesson.body.raw_data, check_block("Lesson 1 second question?")]
    lesson.save_revision().publish()

    # Signed out: both checks are regions with names of their own (landmark-unique).
    visit(page, f"{base}{lesson.url}")
    names = page.locator("section.hope-check").evaluate_all(
        "sections => sections.map(s => s.getAttribute('aria-labelledby').split(' ')"
        ".map(id => document.getElementById(id).textContent.trim()).join(' '))"
    )
    assert len(names) == 2 and len(set(names)) == 2

    # "Lessons" in the module's facts is one word on one line, never "Lesson / s".
    visit(page, f"{base}{module.url}")
    key = page.locator(".hope-facts dt", has_text="Lessons")
    lines = key.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1

    sign_in(page, base, UserFactory())
    # Confidence: each question's 1 to 5 sits under its own question.
    page.goto(f"{base}{module.url}")
    page.get_by_role("button", name="Start this module").click()
    page.locator("legend").first.wait_for()
    assert_accessible(page)
    fieldsets = page.locator("form fieldset")
    previous_bottom = 0.0
    for i in range(fieldsets.count()):
        box = fieldsets.nth(i)
        legend = box.locator("legend").bounding_box()
        radios = box.locator(".nhsuk-radios").bounding_box()
        assert legend["y"] >= previous_bottom
        assert radios["y"] >= legend["y"] + legend["height"] - 1
        previous_bottom = radios["y"] + radios["height"]

    visit(page, f"{base}{lesson.url}")
    assert page.locator("section.hope-check").count() == 2


def test_the_audit_log_scrolls_by_keyboard(page, live_server):
    base = live_server.url
    admin = UserFactory(is_superuser=True, is_staff=True)
    for n in range(3):
        audit_record(action=f"test.long_action_name_{n}", actor=admin, data={"n": n, "k": "v" * 80})
    sign_in(page, base, admin)
    visit(page, f"{base}/audit/")
    region = page.get_by_role("region", name="Audit events")
    assert region.get_attribute("tabindex") == "0"
    assert "at" in page.locator("tbody td").first.inner_text()  # "2 December 2026 at 2:47:05pm"
    resize(page, 390, 844)
    assert_accessible(page)


def test_a_download_being_prepared_never_refreshes_itself(browser, page, live_server):
    base = live_server.url
    person = MembershipFactory(role=Role.PRACTITIONER).user
    pending = DataExport.objects.create(user=person, expires_at=timezone.now() + timedelta(hours=1))
    sign_in(page, base, person)
    visit(page, f"{base}/account/data/download/{pending.pk}/")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    expect(page.get_by_role("button", name="Check again")).to_be_visible()

    # Without JavaScript: no timed refresh, and the button reloads the page.
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    still = context.new_page()
    try:
        still.context.add_cookies(page.context.cookies())
        still.goto(f"{base}/account/data/download/{pending.pk}/")
        assert "http-equiv" not in still.content()
        still.get_by_role("button", name="Check again").click()
        still.get_by_text("Preparing your file.").wait_for()
    finally:
        context.close()


def test_long_text_has_a_character_count(page, live_server):
    base = live_server.url
    user = MembershipFactory(role=Role.PRACTITIONER).user
    sign_in(page, base, user)
    visit(page, f"{base}/journal/new/?model=gibbs")
    description = page.get_by_label("Description")
    description.wait_for()
    count = page.locator("#id_section-description-info")
    assert "10,000" in count.inner_text()
    description.fill("Twelve chars")
    page.get_by_text("You have 9,988 characters remaining").first.wait_for()
    assert_accessible(page)


def test_supervision_fits_a_phone_and_asks_dates_the_nhs_way(browser, live_server):
    base = live_server.url
    membership = MembershipFactory(role=Role.PRACTITIONER)
    supervisor = MembershipFactory(role=Role.SUPERVISOR, organisation=membership.organisation).user
    relationship = make_relationship(membership.user, supervisor)
    make_session(relationship)
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, base, supervisor)
        visit(page, f"{base}/supervision/")
        _no_sideways_scroll(page)
        visit(page, f"{base}/supervision/new/?relationship={relationship.pk}")
        _no_sideways_scroll(page)
        assert page.locator("input[type=date]").count() == 0
        session_date = page.get_by_role("group", name="Date of the session")
        for part in ("Day", "Month", "Year"):
            expect(session_date.get_by_label(part)).to_be_visible()
    finally:
        context.close()


def test_moderation_buttons_have_room_and_the_page_has_an_icon(page, live_server):
    base = live_server.url
    space, facilitator = facilitated_space(
        premoderation=PreModeration.FIRST_POSTS, premoderation_posts=1
    )
    topic = thread(space, facilitator)  # a facilitator's thread is open at once
    newcomer = member(space, approved_posts=0).user
    post = reply(topic, newcomer, body="My first post here.")
    assert post.status == PostStatus.PENDING
    sign_in(page, base, facilitator)
    visit(page, f"{base}/community/moderation/posts/{post.pk}/")
    reject = page.get_by_role("button", name="Reject with this reason").bounding_box()
    hide = page.get_by_role("button", name="Hide with this reason").bounding_box()
    apart = hide["x"] - (reject["x"] + reject["width"])
    below = hide["y"] - (reject["y"] + reject["height"])
    assert apart >= 8 or below >= 8

    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(f"{base}{icon}")
    assert response.status == 200 and b"<svg" in response.body()
