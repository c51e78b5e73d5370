"""H5P content in a lesson, in a real browser: h5p-standalone plays it in a sandboxed frame,
its xAPI "answered" statement reaches the server through the lesson page and completes the
lesson in place. axe-clean around the frame."""

from __future__ import annotations

import re

import pytest

from modules.h5p.models import H5PResult
from modules.models import LessonCompletion
from tests.factories import PASSWORD, UserFactory
from tests.scorm_factories import make_h5p_content, make_h5p_module

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

SIGN_IN = re.compile("^sign in$", re.IGNORECASE)


def test_answering_h5p_content_completes_the_lesson(page, live_server):
    base = live_server.url
    admin = UserFactory(is_superuser=True, is_staff=True)
    content = make_h5p_content(admin)
    _module, lesson = make_h5p_module(content)
    learner = UserFactory()
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    page.wait_for_url("**/dashboard/")

    visit(page, base + lesson.url)
    frame = page.frame_locator("iframe.hope-scorm__frame")
    frame.get_by_text("Are you ready?").wait_for()
    assert page.frames[1].evaluate("() => window.origin") == "null"
    assert_accessible(page)
    frame.get_by_role("button", name="Answer the question").click()
    page.get_by_text("You have completed this activity. Your progress is saved.").wait_for()
    page.get_by_text("You have completed this lesson.").wait_for()
    result = H5PResult.objects.get(user=learner)
    assert (result.verb, str(result.score_raw), str(result.score_max)) == (
        "answered",
        "3.0000",
        "4.0000",
    )
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
    assert_accessible(page)
