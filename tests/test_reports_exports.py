"""Report exports: asked for on the page, built by a task, downloaded by the person who asked,
refused and deleted once expired, audited at every step."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from learning import permissions
from learning.models import AuditEvent
from learning.reports import services
from learning.reports.models import ReportExport

from .factories import MembershipFactory, OrganisationFactory, UserFactory, add_to_group
from .report_factories import on_data_day, on_read_day, populated_organisation, ready_export

pytestmark = pytest.mark.django_db


def _request(client, url, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data)


def test_an_admin_asks_for_a_csv_sees_progress_and_downloads_it(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    organisation, admin, members, _modules = populated_organisation(3)
    client.force_login(admin)
    url = reverse("report_organisation_export", args=[organisation.slug])
    response = _request(
        client,
        url,
        {"section": "training_members", "period": "2026-Q1"},
        django_capture_on_commit_callbacks,
    )
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("report_export_detail", args=[export.pk])
    assert export.status == "ready" and export.progress == 100 and export.rows == 4
    assert export.filters == {
        "date_from": "2026-01-01",
        "date_to": "2026-03-31",
        "group_by": "kind",
    }
    assert export.expires_at - export.created_at == timedelta(hours=24)
    client.get(response.url)
    with django_assert_num_queries(1):  # the export with its organisation
        body = client.get(response.url).content.decode()
    assert "Download the CSV file" in body and 'http-equiv="refresh"' not in body
    status = client.get(reverse("report_export_status", args=[export.pk])).json()
    assert status["ready"] and status["progress"] == 100 and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][0] == "Member" and len(rows) == 5  # the three members and the admin
    assert {r[0] for r in rows[1:]} == {str(m) for m in [*members, admin]}
    actions = list(
        AuditEvent.objects.filter(action__startswith="report.", target_id=str(export.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["report.export_requested", "report.export_ready", "report.export_downloaded"]


def test_a_pending_export_says_preparing_and_refreshes_itself(client):
    organisation, admin, *_ = populated_organisation(1)
    client.force_login(admin)
    export = services.report_export_request(
        actor=admin,
        organisation=organisation,
        section_key="training",
        date_from=date(2026, 1, 1),
        date_to=date(2026, 3, 31),
    )  # the task waits for the commit, which never comes in this test
    body = client.get(reverse("report_export_detail", args=[export.pk])).content.decode()
    assert "Preparing your file." in body
    # No timed refresh (a WCAG failure): the script polls, and without it a button reloads.
    assert "http-equiv" not in body
    assert ">Check again</button>" in body and "js/reports" in body
    assert client.get(reverse("report_export_status", args=[export.pk])).json() == {
        "status": "pending",
        "progress": 0,
        "ready": False,
        "download_url": "",
    }
    response = client.get(reverse("report_export_download", args=[export.pk]))
    assert response.status_code == 302  # back to the page that says it is being prepared


def test_building_twice_makes_one_file(django_capture_on_commit_callbacks):
    organisation, admin, *_ = populated_organisation(1)
    with django_capture_on_commit_callbacks(execute=True):
        export = services.report_export_request(
            actor=admin,
            organisation=organisation,
            section_key="training",
            date_from=date(2026, 1, 1),
            date_to=date(2026, 3, 31),
        )
    export.refresh_from_db()
    name, finished = export.file.name, export.finished_at
    services.report_export_build(export_id=export.pk)  # delivered again: left alone
    export.refresh_from_db()
    assert export.file.name == name and export.finished_at == finished
    assert AuditEvent.objects.filter(action="report.export_ready").count() == 1


def test_an_expired_export_is_refused_and_its_file_deleted(client):
    organisation, admin, *_ = populated_organisation(1)
    export = ready_export(admin, organisation)
    name = export.file.name
    assert default_storage.exists(name)
    ReportExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(admin)
    response = client.get(reverse("report_export_download", args=[export.pk]))
    assert response.status_code == 410
    assert "This download has expired" in response.content.decode()
    assert not default_storage.exists(name)
    export.refresh_from_db()
    assert export.status == "expired" and not export.file
    assert AuditEvent.objects.filter(
        action="report.export_expired", target_id=str(export.pk)
    ).exists()
    assert client.get(reverse("report_export_download", args=[export.pk])).status_code == 410


def test_expired_exports_are_cleaned_up_when_another_is_asked_for(settings):
    settings.HOPE_REPORT_EXPORT_HOURS = 1
    organisation, admin, *_ = populated_organisation(1)
    old = ready_export(admin, organisation)
    stored = old.file.name  # the storage may have suffixed it if another test used the name
    assert default_storage.exists(stored)
    ReportExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=2))
    new = services.report_export_request(
        actor=admin,
        organisation=organisation,
        section_key="training",
        date_from=date(2026, 1, 1),
        date_to=date(2026, 3, 31),
    )
    old.refresh_from_db()
    assert old.status == "expired" and not default_storage.exists(stored)
    assert new.expires_at - new.created_at == timedelta(hours=1)


def test_only_the_person_who_asked_and_only_while_they_hold_the_role(client):
    organisation, admin, *_ = populated_organisation(1)
    export = ready_export(admin, organisation)
    other_admin = MembershipFactory(organisation=organisation, role="org_admin").user
    client.force_login(other_admin)
    assert client.get(reverse("report_export_download", args=[export.pk])).status_code == 404
    membership = admin.memberships.get(role="org_admin")
    membership.ended_on = timezone.localdate()
    membership.save()
    permissions.forget_roles(admin)
    client.force_login(admin)
    assert client.get(reverse("report_export_download", args=[export.pk])).status_code == 404


def test_the_services_check_permission():
    organisation = OrganisationFactory()
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.report_export_request(
            actor=stranger,
            organisation=organisation,
            section_key="training",
            date_from=date(2026, 1, 1),
            date_to=date(2026, 3, 31),
        )
    with pytest.raises(PermissionDenied):
        services.report_export_request(
            actor=stranger,
            organisation=None,
            section_key="supervision",
            date_from=date(2026, 1, 1),
            date_to=date(2026, 3, 31),
        )
    assert not ReportExport.objects.exists()


def test_a_coordinator_exports_national_figures_with_small_numbers_suppressed(
    client, django_capture_on_commit_callbacks
):
    with on_data_day():
        populated_organisation(3)
    person = add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
    client.force_login(person)
    with on_read_day():
        response = _request(
            client,
            reverse("report_national_export"),
            {"section": "supervision", "group_by": "region", "period": "2026-03"},
            django_capture_on_commit_callbacks,
        )
        export = ReportExport.objects.get()
        assert export.organisation is None and export.filters == {
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
            "group_by": "region",
        }
        download = client.get(reverse("report_export_download", args=[export.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][0] == "Region"
    london = next(r for r in rows if r[0] == "London")
    assert london[1:] == ["<5", "0", "<5"]  # 3 within the frequency, none overdue
    assert any("“<5” means a count of 1 to 4." in r[0] for r in rows if r)
    assert any("rounded to the nearest 5" in r[0] for r in rows if r)
    assert response.status_code == 302


def test_an_export_is_only_for_a_whole_month_or_quarter_that_has_ended():
    organisation, admin, *_ = populated_organisation(1)
    for start, end in [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 1, 2), date(2026, 3, 31)),
        (date(2026, 3, 1), date(2026, 3, 30)),
    ]:
        with pytest.raises(ValueError):
            services.report_export_request(
                actor=admin,
                organisation=organisation,
                section_key="training",
                date_from=start,
                date_to=end,
            )
    assert not ReportExport.objects.exists()


def test_export_pages_have_pinned_query_counts(client, django_assert_num_queries):
    organisation, admin, *_ = populated_organisation(1)
    export = ready_export(admin, organisation)
    client.force_login(admin)
    index = reverse("reports_index")
    status = reverse("report_export_status", args=[export.pk])
    download = reverse("report_export_download", args=[export.pk])
    client.get(index)
    with django_assert_num_queries(0):  # roles and the person's row are cached
        assert client.get(index).status_code == 200
    with django_assert_num_queries(1):  # the export
        assert client.get(status).json()["ready"] is True
    # the export, then the audit row in its own savepoint
    with django_assert_num_queries(4):
        assert client.get(download).status_code == 200
