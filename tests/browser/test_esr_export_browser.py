"""An organisation admin goes from "My home" to completions for ESR, makes a mistake in the
period, corrects it, watches the file being prepared and downloads the CSV. axe-core clean on
every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import Role
from modules.esr.models import EsrExport
from modules.esr.services import esr_export_build

from ..factories import PASSWORD, MembershipFactory, OrganisationFactory
from ..module_factories import make_module
from ..report_factories import complete
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_admin_downloads_completions_for_esr(page, live_server, settings, home_page):
    settings.HOPE_BASE_URL = live_server.url
    base = live_server.url
    organisation = OrganisationFactory(name="Riverside Test Service")
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    member = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    member.display_name = "Ada Lovelace"
    member.employee_number = "12345678"
    member.save()
    module = make_module(lessons=1, title="Separation at birth")
    complete(member, module, days_ago=3, code="HH-ESR-0001")

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name=f"Download completions of {organisation.name} for ESR").click()
    page.wait_for_url(f"**/organisations/{organisation.slug}/esr/")
    assert_accessible(page)

    # A period that ends before it starts is explained in the error summary.
    group = page.get_by_role("group", name="Completed on or after")
    group.get_by_label("Day").fill("1")
    group.get_by_label("Month").fill("3")
    group.get_by_label("Year").fill("2026")
    end = page.get_by_role("group", name="Completed on or before")
    end.get_by_label("Day").fill("1")
    end.get_by_label("Month").fill("2")
    end.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Prepare the CSV file").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    # Both dates emptied: every completion.
    for box in (group, end):
        for label in ("Day", "Month", "Year"):
            box.get_by_label(label).fill("")
    page.get_by_role("button", name="Prepare the CSV file").click()
    page.wait_for_url(f"**/organisations/{organisation.slug}/esr/*/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV file").click()
    content = download.value.path().read_text(encoding="utf-8")
    lines = content.splitlines()
    assert lines[0] == "Name,Employee number,Course,Completion date,Hours,Certificate code"
    assert lines[1].startswith("Ada Lovelace,12345678,Separation at birth,")
    assert lines[1].endswith(",HH-ESR-0001") and member.email not in content

    # One still being prepared: the page says so, and the script reloads it once it is ready.
    now = timezone.now()
    pending = EsrExport.objects.create(
        requested_by=admin, organisation=organisation, expires_at=now + timedelta(hours=24)
    )
    visit(page, f"{base}/organisations/{organisation.slug}/esr/{pending.pk}/")
    expect(page.get_by_text("Preparing your file.")).to_be_visible()
    esr_export_build(export_id=pending.pk)
    page.get_by_role("link", name="Download the CSV file").wait_for(timeout=10_000)
    assert_accessible(page)
