"""A practitioner meets a module whose prerequisites are required first: the catalogue and the
module page say so, starting is explained and refused with a link to the module to complete,
and once that is complete the module starts; axe-core clean on every page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from modules.models import Enrolment, ModulePage, PrerequisiteRule

from ..factories import PASSWORD, UserFactory
from ..module_factories import make_module
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_required_prerequisites_journey(page, live_server):
    base = live_server.url
    first = make_module(lessons=1, title="Trauma-informed care")
    module = make_module(lessons=1, title="HOPE Boxes in practice")
    module.prerequisites.set([first])
    module.prerequisite_rule = PrerequisiteRule.REQUIRED
    module.save_revision().publish()
    module = ModulePage.objects.get(pk=module.pk)
    user = UserFactory(display_name="Sam Learner")

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")

    visit(page, f"{base}/modules/")
    assert "Required first:" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="HOPE Boxes in practice").click()
    expect(page.get_by_role("heading", name="Required first")).to_be_visible()
    assert page.get_by_role("button", name="Start this module").count() == 0
    assert "Not completed" in page.content()
    assert_accessible(page)

    # Going to the start page anyway explains why not, with a link to the module to do first.
    visit(page, f"{base}/learning/modules/{module.pk}/start/")
    expect(page.get_by_role("heading", name="Complete other modules first")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Trauma-informed care").click()
    expect(page.get_by_role("heading", name="Trauma-informed care")).to_be_visible()

    # With the prerequisite complete, the module starts.
    Enrolment.objects.create(user=user, module=first, completed_at=timezone.now())
    visit(page, f"{base}{module.url}")
    assert "Completed" in page.content()
    page.get_by_role("button", name="Start this module").click()
    page.get_by_role("button", name="Start the module").click()
    page.wait_for_url(f"**{module.url}lesson-1/")
    assert Enrolment.objects.filter(user=user, module=module).exists()
