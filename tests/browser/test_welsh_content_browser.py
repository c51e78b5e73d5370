"""A module read in Welsh in a real browser, axe-core clean: someone switches to Cymraeg, opens
the Welsh module, answers the lesson's check and completes the lesson in Welsh, switches to
English and finds the same lesson complete on the English module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from modules.models import ModulePage
from modules.progress import selectors, services
from modules.seed_curriculum import seed_curriculum

from ..factories import PASSWORD, UserFactory, ensure_wagtail_tree
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).parent.parent / "fixtures" / "curriculum"
FILE = "04-information-sharing.json"


def test_a_lesson_completed_in_welsh_is_complete_in_english(page, live_server, tmp_path):
    ensure_wagtail_tree()
    shutil.copy(FIXTURES / FILE, tmp_path / FILE)
    (tmp_path / "cy").mkdir()
    shutil.copy(FIXTURES / "cy" / FILE, tmp_path / "cy" / FILE)
    seed_curriculum(directory=tmp_path)
    module = ModulePage.objects.get(slug="information-sharing", locale__language_code="en-gb")
    lesson = selectors.lessons_of(module)[0]
    user = UserFactory()
    services.enrolment_start(user=user, module=module)

    base = live_server.url
    visit(page, f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url("**/dashboard/")

    visit(page, f"{base}{module.url}")
    assert page.get_by_role("heading", level=1).inner_text() == "Rhannu gwybodaeth yn ddiogel"
    assert_accessible(page)
    page.get_by_role("link", name="Pam a phryd rydym yn rhannu").click()
    page.wait_for_url(f"**{lesson.url}")
    assert page.get_by_role("heading", level=1).inner_text() == "Pam a phryd rydym yn rhannu"
    check = page.locator(".hope-check")
    check.get_by_label("Nac ydy, mae'r gyfraith yn caniatáu rhannu i gadw pobl yn ddiogel.").check()
    check.locator("button[type=submit]").click()
    page.locator(".hope-check__result--right").wait_for()
    assert_accessible(page)
    page.locator("#lesson-complete button[type=submit]").click()
    # With JavaScript the panel updates in place, naming the next lesson in Welsh.
    page.locator("#lesson-complete [role=status]").wait_for()
    assert "Egwyddorion Caldicott" in page.locator("#lesson-complete").inner_text()
    assert page.locator("html").get_attribute("lang") == "cy"

    page.get_by_role("link", name="English").click()
    visit(page, f"{base}{module.url}")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.get_by_role("heading", level=1).inner_text() == "Sharing information safely"
    item = page.locator(".hope-lesson-list li").first
    assert "Why and when we share" in item.inner_text() and "Complete" in item.inner_text()
    assert_accessible(page)
