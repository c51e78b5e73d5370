"""An organisation admin assigns a module; the member sees it on My home. axe-core clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import Role
from modules.models import Assignment

from ..factories import PASSWORD, MembershipFactory
from ..test_assignments import make_assignable_module
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, email: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_org_admin_assigns_a_module_and_the_member_sees_it(
    page, live_server, settings, organisation, home_page
):
    settings.HOPE_BASE_URL = live_server.url
    base = live_server.url
    module = make_assignable_module("Looking after yourself and each other")
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    member = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    due = timezone.localdate() + timedelta(days=21)

    _sign_in(page, base, admin.email)
    visit(page, f"{base}/organisations/{organisation.slug}/assignments/")
    expect(page.get_by_role("heading", name="Assigned modules")).to_be_visible()
    # Find the member by name (a large organisation lists only some of its members).
    page.get_by_label("Find members by name or email").fill(member.display_name)
    page.get_by_role("button", name="Find members").click()
    page.wait_for_url("**/assignments/?find=*")
    assert_accessible(page)
    assert page.locator('input[name="users"]').count() == 1

    # A mistake first: the summary shows and what was chosen is kept.
    page.get_by_label("Module").select_option(label=module.title)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_label("Selected members").check()
    page.get_by_label(member.display_name).check()
    page.get_by_role("button", name="Assign module").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("Day").input_value() == "31"
    assert page.get_by_label(member.display_name).is_checked()
    assert_accessible(page)

    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Assign module").click()
    expect(page.get_by_text(f"{module.title} is assigned to 1 member")).to_be_visible()
    expect(page.get_by_role("cell", name=member.display_name, exact=True)).to_be_visible()
    assert_accessible(page)
    assert Assignment.objects.filter(user=member, module=module, due_on=due).exists()
    assert [m.to for m in mail.outbox] == [[member.email]]

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")
    _sign_in(page, base, member.email)
    assert_accessible(page)
    panel = page.locator("section", has=page.get_by_role("heading", name="Assigned to you"))
    expect(panel.get_by_role("link", name=module.title)).to_be_visible()
    expect(panel.get_by_text(f"Due by {due.day} {due:%B %Y}")).to_be_visible()
