"""An organisation admin removes a member's role from the members page (axe-clean)."""

from __future__ import annotations

import pytest

from learning.models import Role
from tests.factories import PASSWORD, MembershipFactory

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_admin_removes_a_members_role(page, live_server, organisation):
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    member = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    visit(page, f"{live_server.url}/organisations/{organisation.slug}/members/")
    page.get_by_role("link", name=f"Remove {member.get_full_name()} as Practitioner").click()
    page.get_by_role("heading", name=f"Remove {member.get_full_name()} as Practitioner?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, remove the role").click()
    page.get_by_text("no longer has the role Practitioner").wait_for()
    assert_accessible(page)
    assert member.memberships.get().ended_on is not None
