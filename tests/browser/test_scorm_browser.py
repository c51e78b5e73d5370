"""A SCORM 1.2 package in a lesson, in a real browser: the package runs in its sandboxed frame,
talks to the lesson page's runtime through the message bridge, saves the learner's place
(reopening the lesson resumes it) and, when it sets its status to completed, completes the
lesson in place. axe-clean around the frame."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from modules.models import LessonCompletion
from modules.scorm.models import ScormAttempt
from tests.factories import PASSWORD, UserFactory
from tests.scorm_factories import make_scorm_module, make_scorm_package

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

SIGN_IN = re.compile("^sign in$", re.IGNORECASE)


def _sign_in(page, base: str, user) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    page.wait_for_url("**/dashboard/")


def _saved_at(page, learner, location: str) -> None:
    """Wait for the commit the package just made to reach the server."""
    for _ in range(50):
        attempt = ScormAttempt.objects.filter(user=learner).first()
        if attempt is not None and attempt.location == location:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the package's place {location!r} was not saved")


def test_a_learner_leaves_half_way_resumes_and_completes_a_scorm_lesson(page, live_server):
    base = live_server.url
    admin = UserFactory(is_superuser=True, is_staff=True)
    package = make_scorm_package(admin)
    _module, lesson = make_scorm_module(package)
    learner = UserFactory(display_name="Sam Learner")
    _sign_in(page, base, learner)

    visit(page, base + lesson.url)
    frame = page.frame_locator("iframe.hope-scorm__frame")
    frame.get_by_text("Starting").wait_for()
    # The package cannot reach the lesson page: its frame has an opaque origin.
    frame_origin = page.frames[1].evaluate("() => window.origin")
    assert frame_origin == "null"
    frame.get_by_role("button", name="Go to page 2").click()
    frame.get_by_text("Saved at page-2").wait_for()
    _saved_at(page, learner, "page-2")
    attempt = ScormAttempt.objects.get(user=learner)
    assert attempt.suspend_data == "half way"
    assert not LessonCompletion.objects.filter(user=learner).exists()
    assert_accessible(page)

    # Leave and come back: the package resumes where the learner left off.
    visit(page, f"{base}/dashboard/")
    visit(page, base + lesson.url)
    frame = page.frame_locator("iframe.hope-scorm__frame")
    frame.get_by_text("Resumed at page-2").wait_for()

    frame.get_by_role("button", name="Finish the course").click()
    frame.get_by_text("Finished").wait_for()
    page.get_by_text("You have completed this activity. Your progress is saved.").wait_for()
    page.get_by_text("You have completed this lesson.").wait_for()
    nav = page.get_by_role("navigation", name="Lessons in this module")
    expect(nav.get_by_text("1 of 1 lessons complete")).to_be_visible()
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
    attempt.refresh_from_db()
    assert attempt.completion_status == "completed"
    assert str(attempt.score_raw) == "85.0000"
    assert_accessible(page)

    # Reopened, the lesson shows as complete.
    visit(page, base + lesson.url)
    page.get_by_text("You have completed this lesson.").wait_for()


def test_a_scorm_2004_package_resumes_and_its_last_commit_on_terminate_completes(page, live_server):
    base = live_server.url
    admin = UserFactory(is_superuser=True, is_staff=True)
    package = make_scorm_package(admin, version="2004")
    _module, lesson = make_scorm_module(package)
    learner = UserFactory()
    _sign_in(page, base, learner)

    visit(page, base + lesson.url)
    frame = page.frame_locator("iframe.hope-scorm__frame")
    frame.get_by_text("Starting").wait_for()
    frame.get_by_role("button", name="Go to page 2").click()
    frame.get_by_text("Saved at page-2").wait_for()
    _saved_at(page, learner, "page-2")
    visit(page, base + lesson.url)
    frame = page.frame_locator("iframe.hope-scorm__frame")
    frame.get_by_text("Resumed at page-2").wait_for()

    # Terminate without a Commit: the runtime's last commit goes as a beacon, with the CSRF
    # token in its form body.
    frame.get_by_role("button", name="Finish the course").click()
    frame.get_by_text("Finished").wait_for()
    # On in-memory SQLite the live server writes through this thread's own connection, so the
    # attempt can be seen finished before the same request has recorded the completion: wait
    # for both.
    for _ in range(50):
        attempt = ScormAttempt.objects.get(user=learner)
        completed = LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
        if attempt.completed_at is not None and completed:
            break
        page.wait_for_timeout(100)
    assert attempt.completion_status == "completed"
    assert (attempt.success_status, str(attempt.score_scaled)) == ("passed", "0.9000")
    assert completed
    visit(page, base + lesson.url)
    page.get_by_text("You have completed this lesson.").wait_for()
