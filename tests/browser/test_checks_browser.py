"""Knowledge checks in the browser: a lesson check answered without JavaScript, then the
end-of-module check failed, reviewed (answers, right answers and why), retaken with new
questions and passed; the inputs never say which option is right. axe-core clean throughout."""

from __future__ import annotations

import re

import pytest

from ..factories import PASSWORD, UserFactory
from ..module_factories import answer_lesson_check, make_banked_module
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, user, *, axe: bool = True) -> None:
    if axe:
        visit(page, f"{base}/accounts/login/")
    else:
        page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def _assert_inputs_reveal_nothing(page) -> None:
    html = page.content()
    radios = re.findall(r"<input[^>]*type=\"radio\"[^>]*>", html)
    assert radios
    for radio in radios:
        assert re.search(r'value="\d"', radio)
        attributes = set(re.findall(r"\s([a-z-]+)=", radio))
        assert attributes <= {"class", "id", "name", "type", "value"}, radio


def test_a_lesson_check_works_without_javascript(browser, live_server):
    """axe-core needs JavaScript, so it checks these states in the other journeys."""
    from modules.progress import selectors

    module = make_banked_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    user = UserFactory()
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, live_server.url, user, axe=False)
        page.goto(live_server.url + lesson.url)
        _assert_inputs_reveal_nothing(page)
        check = page.locator("section.hope-check")
        check.get_by_label("A wrong answer").check()
        check.get_by_role("button", name="Check my answer").click()
        page.get_by_text("Not quite. Have another look and try again.").wait_for()
        assert "No, look again." in page.content()
        page.locator("section.hope-check").get_by_label("The right answer").check()
        page.locator("section.hope-check").get_by_role("button", name="Try again").click()
        page.get_by_text("That's right.").wait_for()
    finally:
        context.close()


def test_fail_review_and_pass_the_end_of_module_check(page, live_server):
    from modules.progress import selectors, services

    base = live_server.url
    module = make_banked_module(lessons=1, outcomes=2, per_outcome=2, ask=1)
    user = UserFactory()
    lesson = selectors.lessons_of(module)[0]
    answer_lesson_check(user, lesson)
    services.lesson_complete(user=user, lesson=lesson, module=module)
    _sign_in(page, base, user)

    visit(page, base + module.url)
    page.get_by_role("button", name="Take the end-of-module check").click()
    assert_accessible(page)
    _assert_inputs_reveal_nothing(page)
    assert "Yes, because it is." not in page.content()
    first_questions = page.locator("legend").all_inner_texts()
    assert len(first_questions) == 2

    # Submitting with a question unanswered keeps the same questions and order.
    page.locator("fieldset").first.get_by_label("A wrong answer").check()
    labels_before = page.locator("label").all_inner_texts()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    assert page.locator("label").all_inner_texts() == labels_before
    assert page.locator("fieldset").first.get_by_label("A wrong answer").is_checked()

    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("A wrong answer").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(re.compile(r".*/check/\d+/review/$"))
    page.get_by_role("heading", name="Your answers").wait_for()
    assert_accessible(page)
    body = page.content()
    assert "You scored 0%" in body
    assert body.count("Your answer. Not a right answer.") == 2
    assert body.count("A right answer. You did not choose it.") == 2
    assert body.count("Yes, because it is.") == 2 and body.count("Because.") == 2

    page.get_by_role("link", name="Try the check again").click()
    assert_accessible(page)
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("The right answer").check()
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_text("You have passed the end-of-module check.").wait_for()
    page.get_by_role("heading", name="Module complete").wait_for()
    assert_accessible(page)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=module.title).click()
    page.get_by_text("You completed this module").wait_for()
