"""Completions for ESR: an organisation admin asks for a CSV of their members' completed modules,
a task builds it, they download it. Columns an ESR administrator can load as external learning,
cells protected against formula injection, only the organisation's members, only its admins."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from learning.models import AuditEvent, Role
from modules.esr import services
from modules.esr.models import EsrExport
from modules.esr.selectors import cpd_hours, esr_completion_rows

from .factories import MembershipFactory, OrganisationFactory, UserFactory
from .module_factories import make_module
from .report_factories import complete

pytestmark = pytest.mark.django_db


def _organisation():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    return organisation, admin


def _member(organisation, **fields):
    user = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_cpd_hours():
    assert [cpd_hours(m) for m in (30, 45, 60, 90, 20, 0)] == [
        "0.5",
        "0.75",
        "1",
        "1.5",
        "0.33",
        "0",
    ]


def test_rows_one_per_completion_for_members_only():
    organisation, _admin = _organisation()
    module = make_module(lessons=1, title="Separation at birth", minutes=90)
    other_module = make_module(lessons=1, title="Working with families", minutes=30)
    ada = _member(organisation, display_name="Ada Lovelace", employee_number="12345678")
    bo = _member(organisation, display_name="Bo Smith")
    complete(ada, module, days_ago=3, code="HH-ESR-0001")
    complete(ada, other_module, days_ago=2)
    complete(bo, module, days_ago=1, code="HH-ESR-0002")
    # Someone from another organisation, and a member who has only started, are left out.
    outsider = _member(OrganisationFactory(), display_name="Not Ours")
    complete(outsider, module, days_ago=1, code="HH-ESR-0003")
    from .report_factories import start

    start(_member(organisation, display_name="Just Started"), module)
    rows = esr_completion_rows(organisation)
    assert [(r.name, r.course, r.certificate_code, r.employee_number, r.hours) for r in rows] == [
        ("Ada Lovelace", "Separation at birth", "HH-ESR-0001", "12345678", "0.5"),
        ("Ada Lovelace", "Working with families", "", "12345678", "0.5"),
        ("Bo Smith", "Separation at birth", "HH-ESR-0002", "", "0.5"),
    ]
    # Hours come from the certificate's frozen minutes when there is one (30 in the factory),
    # otherwise the module's.
    assert esr_completion_rows(organisation)[1].hours == "0.5"


def test_rows_of_a_period_and_ended_memberships():
    organisation, _admin = _organisation()
    module = make_module(lessons=1)
    old = _member(organisation, display_name="Old Completion")
    recent = _member(organisation, display_name="Recent Completion")
    complete(old, module, days_ago=40)
    complete(recent, module, days_ago=2)
    today = timezone.localdate()
    rows = esr_completion_rows(organisation, date_from=today - timedelta(days=10))
    assert [r.name for r in rows] == ["Recent Completion"]
    rows = esr_completion_rows(organisation, date_to=today - timedelta(days=10))
    assert [r.name for r in rows] == ["Old Completion"]
    recent.memberships.update(
        started_on=today - timedelta(days=100), ended_on=today - timedelta(days=1)
    )
    assert [r.name for r in esr_completion_rows(organisation)] == ["Old Completion"]


def test_an_admin_asks_polls_and_downloads_the_csv(client, django_capture_on_commit_callbacks):
    organisation, admin = _organisation()
    module = make_module(lessons=1, title="Separation at birth")
    member = _member(organisation, display_name="Ada Lovelace", employee_number="E42")
    complete(member, module, days_ago=3, code="HH-ESR-0001")
    client.force_login(admin)
    page = client.get(reverse("esr_export", args=[organisation.slug]))
    assert page.status_code == 200 and "Prepare the CSV file" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("esr_export", args=[organisation.slug]), {})
    export = EsrExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("esr_export_detail", args=[organisation.slug, export.pk])
    assert export.status == "ready" and export.rows == 1
    body = client.get(response.url).content.decode()
    assert "Download the CSV file" in body
    status = client.get(reverse("esr_export_status", args=[organisation.slug, export.pk])).json()
    assert status["ready"] and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert download["Cache-Control"].startswith("private, no-store")
    completed = (timezone.localtime(timezone.now()) - timedelta(days=3)).date()
    assert _rows(download.content) == [
        ["Name", "Employee number", "Course", "Completion date", "Hours", "Certificate code"],
        [
            "Ada Lovelace",
            "E42",
            "Separation at birth",
            completed.strftime("%d/%m/%Y"),
            "0.5",
            "HH-ESR-0001",
        ],
    ]
    assert member.email not in download.content.decode()
    actions = list(
        AuditEvent.objects.filter(target_type="modules.esrexport")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["esr.export_requested", "esr.export_ready", "esr.export_downloaded"]


def test_a_period_is_kept_and_a_reversed_one_refused(client, django_capture_on_commit_callbacks):
    organisation, admin = _organisation()
    client.force_login(admin)
    url = reverse("esr_export", args=[organisation.slug])
    bad = client.post(
        url,
        {
            "date_from_day": "1",
            "date_from_month": "3",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "2",
            "date_to_year": "2026",
        },
    )
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    assert not EsrExport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"date_from": "2026-01-01", "date_to": "2026-03-31"})
    export = EsrExport.objects.get()
    assert (export.date_from, export.date_to) == (date(2026, 1, 1), date(2026, 3, 31))


def test_formula_injection_is_neutralised(client, django_capture_on_commit_callbacks):
    organisation, admin = _organisation()
    module = make_module(lessons=1, title='=HYPERLINK("http://x")')
    member = _member(organisation, display_name="=cmd|' /C calc'!A0", employee_number="+44")
    complete(member, module, days_ago=1)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("esr_export", args=[organisation.slug]), {})
    export = EsrExport.objects.get()
    content = services.esr_export_download(actor=admin, export=export)
    row = _rows(content)[1]
    assert row[0].startswith("'=") and row[1] == "'+44" and row[2].startswith("'=")
    assert response.status_code == 302


def test_other_organisations_and_other_people_get_404(client, django_capture_on_commit_callbacks):
    organisation, admin = _organisation()
    other, other_admin = _organisation()
    practitioner = _member(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        export = services.esr_export_request(actor=admin, organisation=organisation)
    for person in (other_admin, practitioner):
        client.force_login(person)
        assert client.get(reverse("esr_export", args=[organisation.slug])).status_code == 404
        for name in ("esr_export_detail", "esr_export_status", "esr_export_download"):
            url = reverse(name, args=[organisation.slug, export.pk])
            assert client.get(url).status_code == 404
    # Another admin of the same organisation cannot fetch someone else's file either.
    second_admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    client.force_login(second_admin)
    url = reverse("esr_export_download", args=[organisation.slug, export.pk])
    assert client.get(url).status_code == 404
    # The export's own URLs under another organisation's slug are 404 for its owner.
    MembershipFactory(organisation=other, role=Role.ORG_ADMIN, user=admin)
    client.force_login(admin)
    assert client.get(reverse("esr_export_detail", args=[other.slug, export.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.esr_export_request(actor=practitioner, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.esr_export_request(actor=UserFactory(), organisation=organisation)


def test_an_expired_export_is_deleted_and_refused(client, django_capture_on_commit_callbacks):
    organisation, admin = _organisation()
    with django_capture_on_commit_callbacks(execute=True):
        export = services.esr_export_request(actor=admin, organisation=organisation)
    export.refresh_from_db()
    name = export.file.name
    EsrExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(admin)
    response = client.get(reverse("esr_export_download", args=[organisation.slug, export.pk]))
    assert response.status_code == 410 and "has expired" in response.content.decode()
    export.refresh_from_db()
    assert export.status == "expired" and not export.file
    from django.core.files.storage import default_storage

    assert not default_storage.exists(name)


def test_exports_are_rate_limited(client, settings, django_capture_on_commit_callbacks):
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "export": "1/1h"}
    organisation, admin = _organisation()
    client.force_login(admin)
    url = reverse("esr_export", args=[organisation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {}).status_code == 302
        response = client.post(url, {})
    assert response.status_code == 302 and response.url == url
    assert EsrExport.objects.count() == 1


def test_the_build_task_is_idempotent(django_capture_on_commit_callbacks):
    organisation, admin = _organisation()
    with django_capture_on_commit_callbacks(execute=True):
        export = services.esr_export_request(actor=admin, organisation=organisation)
    export.refresh_from_db()
    finished = export.finished_at
    services.esr_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "ready" and export.finished_at == finished
