"""An organisation admin chooses a facilitator for their organisation's space in a real browser:
from the community page to the space's facilitators, a member chosen from the list, then
removed again. Every page is axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learning.models import Role

from ..community_factories import SpaceFactory
from ..factories import MembershipFactory, OrganisationFactory
from .conftest import assert_accessible, visit
from .test_community_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_an_organisation_admin_appoints_and_removes_a_facilitator(page, live_server):
    base = live_server.url
    organisation = OrganisationFactory(name="Northfield MMHS")
    space = SpaceFactory(organisation=organisation, name="Northfield practitioners")
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    colleague = MembershipFactory(
        organisation=organisation, role=Role.PRACTITIONER, user__display_name="Cara Colleague"
    ).user

    sign_in(page, base, admin)
    visit(page, f"{base}/community/")
    page.get_by_role("link", name="Choose the facilitators of your organisation's spaces").click()
    page.wait_for_url("**/community/moderation/facilitators/")
    assert_accessible(page)
    page.get_by_role("link", name="Northfield practitioners").click()
    page.wait_for_url(f"**/community/moderation/facilitators/{space.slug}/")
    expect(page.get_by_text("This space has no facilitators.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Make facilitator").click()
    page.get_by_text("Choose the person to make a facilitator.").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Person to make a facilitator").select_option(
        label=f"Cara Colleague ({colleague.email})"
    )
    page.get_by_role("button", name="Make facilitator").click()
    page.get_by_text("Cara Colleague is now a facilitator").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Remove Cara Colleague").click()
    page.get_by_text("Cara Colleague is no longer a facilitator").wait_for()
    expect(page.get_by_text("This space has no facilitators.")).to_be_visible()
