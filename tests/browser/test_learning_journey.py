"""A practitioner finds a module by topic and by search, works through every lesson (answering
a check wrong, then right, in place with JavaScript), passes the end-of-module check, and
verifies the certificate; axe-core clean on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from modules.models import Certificate, Topic

from ..factories import PASSWORD, UserFactory
from ..module_factories import make_module
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_practitioner_completes_a_module(page, live_server):
    base = live_server.url
    topic = Topic.objects.create(name="Family justice", slug="family-justice")
    module = make_module(
        lessons=2,
        title="Care proceedings explained",
        topic=topic,
        content_note="This module talks about separation at birth.",
    )
    make_module(lessons=1, title="Looking after yourself")
    user = UserFactory(display_name="Sam Learner")

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")

    # Find it by topic, then by search.
    page.get_by_role("link", name="Modules", exact=True).first.click()
    assert_accessible(page)
    page.get_by_label("Topic").select_option("family-justice")
    page.get_by_role("button", name="Show modules").click()
    expect(page.get_by_role("link", name="Care proceedings explained")).to_be_visible()
    assert page.get_by_role("link", name="Looking after yourself").count() == 0
    assert_accessible(page)
    page.get_by_label("Search modules and lessons").fill("proceedings")
    page.get_by_label("Topic").select_option("")
    page.get_by_role("button", name="Show modules").click()
    page.get_by_role("link", name="Care proceedings explained").click()
    assert_accessible(page)

    # Start: content note and confidence before.
    page.get_by_role("button", name="Start this module").click()
    assert "This module talks about separation at birth." in page.content()
    assert_accessible(page)
    outcome_legends = page.locator("legend")
    assert outcome_legends.count() == 2
    page.locator("input[type=radio][value='2']").first.check()
    page.get_by_role("button", name="Start the module").click()

    for number in (1, 2):
        page.wait_for_url(re.compile(rf".*/lesson-{number}/$"))
        assert_accessible(page)
        check = page.locator("section.hope-check")
        check.get_by_label("A wrong answer").check()
        check.get_by_role("button", name="Check my answer").click()
        page.get_by_text("Not quite. Have another look and try again.").wait_for()
        assert_accessible(page)
        page.locator("section.hope-check").get_by_label("The right answer").check()
        page.locator("section.hope-check").get_by_role("button", name="Try again").click()
        page.get_by_text("That's right.").wait_for()
        page.get_by_role("button", name="Mark this lesson as complete").click()
        page.get_by_text("You have completed this lesson.").wait_for()
        assert_accessible(page)
        if number == 1:
            page.get_by_role("link", name=re.compile("Next lesson")).click()
    # The last lesson leads on to the check; the module's page shows the progress too.
    expect(page.get_by_role("link", name="Take the end-of-module check")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Care proceedings explained"
    ).click()
    assert_accessible(page)
    assert "2 of 2 lessons complete" in page.content()

    page.get_by_role("button", name="Take the end-of-module check").click()
    assert_accessible(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("The right answer").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("You have passed the end-of-module check.").wait_for()
    page.get_by_role("heading", name="Module complete").wait_for()
    assert_accessible(page)

    certificate = Certificate.objects.get(user=user, module=module)
    assert certificate.status == Certificate.Status.READY
    visit(page, f"{base}/learning/")
    expect(page.get_by_text(f"Download certificate {certificate.code}")).to_be_visible()
    visit(page, f"{base}/certificates/{certificate.code}/")
    assert "This certificate is valid" in page.content()
    assert "Sam Learner" in page.content()
    assert user.email not in page.content()


def test_content_note_support_and_confidence_pages_are_accessible(page, live_server):
    from modules.progress import selectors, services

    from ..module_factories import answer_lesson_check

    base = live_server.url
    module = make_module(lessons=1, final_check=False, lesson_note="This lesson describes a birth.")
    lesson = selectors.lessons_of(module)[0]
    user = UserFactory()
    answer_lesson_check(user, lesson)
    services.lesson_complete(user=user, lesson=lesson, module=module)

    visit(page, base + lesson.url)
    assert "This lesson describes a birth." in page.content()
    page.get_by_role("link", name="See where to find support").click()
    assert_accessible(page)
    assert "Samaritans" in page.content()
    page.go_back()
    page.get_by_role("button", name="Continue to the lesson").click()
    assert_accessible(page)

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    visit(page, f"{base}/learning/modules/{module.pk}/confidence/after/")
    page.get_by_role("button", name="Save my ratings").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("4").check()
    page.get_by_role("button", name="Save my ratings").click()
    page.get_by_text("Your confidence ratings are saved.").wait_for()
    assert_accessible(page)
