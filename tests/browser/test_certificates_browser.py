"""A practitioner's CPD record and the public certificate check, in a real browser."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from modules.certificates.services import certificate_issue
from modules.models import Certificate, Enrolment, ModuleIndexPage, ModulePage

from ..factories import PASSWORD, UserFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _completed_module(user) -> Certificate:
    from ..factories import make_home_page

    index = ModuleIndexPage(title="Modules", slug="modules")
    make_home_page().add_child(instance=index)
    module = ModulePage(
        title="Trauma-informed care in practice",
        slug="trauma-informed-care",
        summary="Safety, trust, choice, collaboration and empowerment.",
        cpd_minutes=90,
    )
    index.add_child(instance=module)
    completed_on = date(2026, 1, 14)
    Enrolment.objects.create(
        user=user,
        module=module,
        completed_at=timezone.make_aware(datetime.combine(completed_on, time(12))),
    )
    # Outside a transaction the PDF task runs straight after issuing (eagerly, in tests).
    certificate = certificate_issue(user=user, module=module, completed_on=completed_on)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    return certificate


def test_practitioner_checks_a_certificate_from_the_cpd_record(page, live_server):
    base = live_server.url
    practitioner = UserFactory(display_name="Amara Okafor")
    certificate = _completed_module(practitioner)

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(practitioner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")

    visit(page, f"{base}/learning/cpd/")
    expect(page.get_by_role("heading", name="My CPD record", level=1)).to_be_visible()
    expect(page.get_by_text("1 hour 30 minutes").first).to_be_visible()

    page.get_by_role("link", name=certificate.code).click()
    page.wait_for_url(f"**/certificates/{certificate.code}/")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="This certificate is valid")).to_be_visible()
    expect(page.get_by_text("Amara Okafor", exact=True)).to_be_visible()
    expect(page.get_by_text("Trauma-informed care in practice", exact=True)).to_be_visible()
    assert practitioner.email not in page.content()


def test_the_other_certificate_and_cpd_pages_are_accessible(page, live_server, home_page):
    base = live_server.url
    practitioner = UserFactory()
    pending = Certificate.objects.create(
        user=practitioner,
        code="HH-PEND-NGCE-RTXX",
        holder_name="Someone",
        module_title="HOPE Boxes",
        cpd_minutes=45,
        completed_on=date(2026, 1, 14),
    )
    visit(page, f"{base}/certificates/HH-ZZZZ-ZZZZ-ZZZZ/")
    expect(page.get_by_role("heading", name="Certificate not found")).to_be_visible()

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(practitioner.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    visit(page, f"{base}/learning/certificates/{pending.code}/download/")
    expect(page.get_by_role("heading", name="Your certificate is being prepared")).to_be_visible()
    visit(page, f"{base}/learning/cpd/?format=xls")
    expect(page.get_by_role("heading", name="We cannot make that download")).to_be_visible()
