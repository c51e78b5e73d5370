"""The organisation admin reads the organisation report (tables beside charts), asks for a CSV,
watches it being prepared and downloads it; the national coordinator sees national figures with
small numbers shown as "<5". axe-core clean on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning import permissions
from learning.reports.models import ReportExport
from learning.reports.periods import allowed_periods
from learning.reports.services import report_export_build

from ..factories import PASSWORD, UserFactory, add_to_group
from ..report_factories import on_data_day, on_read_day, populated_organisation
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _sign_in(page, base: str, email: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_reports_for_an_admin_and_a_coordinator(page, live_server, settings, home_page):
    settings.HOPE_BASE_URL = live_server.url
    base = live_server.url
    organisation, admin, members, modules = populated_organisation(3)

    _sign_in(page, base, admin.email)
    page.get_by_role("link", name="Reports").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Reports for {organisation.name}").click()
    page.wait_for_url(f"**/reports/{organisation.slug}/")
    assert_accessible(page)
    expect(
        page.get_by_role("img", name="Members who completed each module in the period")
    ).to_be_visible()
    table = page.get_by_role("table", name="Training by module")
    expect(table.get_by_role("rowheader", name=modules[0].title)).to_be_visible()

    page.get_by_role("link", name="Supervision by member").click()
    assert_accessible(page)
    expect(
        page.get_by_role("table", name="Supervision by member").get_by_text(str(members[0]))
    ).to_be_visible()

    # Only a whole month or quarter that has ended can be chosen: no day boxes to narrow.
    assert page.get_by_label("Day").count() == 0
    month = next(p for p in allowed_periods() if not p.is_quarter)
    page.get_by_label("Period").select_option(month.value)
    page.get_by_role("button", name="Show figures").click()
    expect(
        page.get_by_text(
            f"From {month.date_from:%-d %B %Y} to {month.date_to:%-d %B %Y}.", exact=True
        )
    ).to_be_visible()
    assert_accessible(page)
    # A day range typed into the address is explained, and the last quarter shown instead.
    visit(
        page,
        f"{base}/reports/{organisation.slug}/?section=supervision&date_from=2026-03-01&date_to=2026-03-02",
    )
    expect(
        page.get_by_text("Figures are only given for a whole month or quarter.").first
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Training by module").click()
    page.get_by_role("button", name="Download “Training by module” as CSV").click()
    page.wait_for_url("**/reports/exports/*/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV file").click()
    content = download.value.path().read_text(encoding="utf-8")
    assert content.startswith("Module,Enrolled") and modules[0].title in content

    # One still being prepared: the page says so, and the script reloads it once it is ready.
    now = timezone.now()
    pending = ReportExport.objects.create(
        requested_by=admin,
        organisation=organisation,
        section_key="completions",
        filters={"date_from": "2026-01-01", "date_to": "2026-12-31", "group_by": "kind"},
        expires_at=now + timedelta(hours=24),
    )
    visit(page, f"{base}/reports/exports/{pending.pk}/")
    expect(page.get_by_text("Preparing your file.")).to_be_visible()
    expect(page.get_by_label("Progress")).to_be_visible()
    report_export_build(export_id=pending.pk)
    page.get_by_role("link", name="Download the CSV file").wait_for(timeout=10_000)
    assert_accessible(page)

    # National figures are for months and quarters that have ended: data from a past quarter.
    with on_data_day():
        populated_organisation(3)
    coordinator = add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
    page.context.clear_cookies()
    with on_read_day():
        _sign_in(page, base, coordinator.email)
        visit(page, f"{base}/reports/")
        page.get_by_role("link", name="National reports across all organisations").click()
        page.wait_for_url("**/reports/national/")
        assert_accessible(page)
        expect(page.get_by_text("“<5” means a count of 1, 2, 3 or 4.")).to_be_visible()
        page.get_by_role("link", name="Supervision within frequency").click()
        assert_accessible(page)
        table = page.get_by_role(
            "table", name="Supervisees within the agreed supervision frequency"
        )
        expect(table.get_by_text("<5").first).to_be_visible()
        page.get_by_label("Period").select_option("2026-03")
        page.get_by_label("Group services by").select_option("region")
        page.get_by_role("button", name="Show figures").click()
        assert_accessible(page)
        expect(page.get_by_text("From 1 March 2026 to 31 March 2026.")).to_be_visible()
        expect(page.get_by_role("rowheader", name="London")).to_be_visible()
