"""Certificates (issue, PDF task, verification, download) and the CPD record with its
exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from learning.models import AuditEvent
from modules.certificates import services as certificates
from modules.certificates.tasks import certificate_generate_pdf
from modules.cpd import selectors as cpd
from modules.models import (
    Certificate,
    Enrolment,
    LearningOutcome,
    ModuleIndexPage,
    ModulePage,
    Topic,
)

from .factories import make_home_page

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^HH-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")


# --- Helpers --------------------------------------------------------------------------------


def make_module(title: str = "Trauma-informed care in practice", cpd_minutes: int = 90):
    """A published module under the catalogue page (made on first use)."""
    index = ModuleIndexPage.objects.first()
    if index is None:
        index = ModuleIndexPage(title="Modules", slug="modules")
        make_home_page().add_child(instance=index)
    module = ModulePage(
        title=title,
        slug=slugify(title)[:50],
        summary=f"What {title.lower()} means day to day.",
        cpd_minutes=cpd_minutes,
    )
    index.add_child(instance=module)
    return module


def complete(user, module, completed_on: date, *, certificate: bool = True):
    """``user`` completed ``module`` on ``completed_on`` (and was issued a certificate)."""
    Enrolment.objects.create(
        user=user,
        module=module,
        completed_at=timezone.make_aware(datetime.combine(completed_on, time(12))),
    )
    if certificate:
        return certificates.certificate_issue(user=user, module=module, completed_on=completed_on)
    return None


def issue(user, module, on: date = date(2026, 1, 1)):
    return certificates.certificate_issue(user=user, module=module, completed_on=on)


def ready(certificate):
    certificates.certificate_pdf_build(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def practitioner(people):
    return people["practitioner"]


@pytest.fixture
def module(home_page):
    return make_module()


# --- Issuing --------------------------------------------------------------------------------


def test_issue_freezes_what_the_certificate_shows_and_writes_an_audit_row(practitioner, module):
    completed_on = date(2026, 2, 3)
    certificate = certificates.certificate_issue(
        user=practitioner, module=module, completed_on=completed_on
    )
    assert certificate.holder_name == practitioner.get_full_name()
    assert certificate.module_title == module.title
    assert certificate.cpd_minutes == 90
    assert certificate.completed_on == completed_on
    assert certificate.status == Certificate.Status.PENDING
    assert CODE_RE.match(certificate.code)
    event = AuditEvent.objects.get(action="certificate.issued")
    assert event.actor == practitioner
    assert event.target_id == str(certificate.pk)
    assert event.data == {"module_id": module.pk}

    module.title = "A new title"
    module.cpd_minutes = 10
    module.save()
    certificate.refresh_from_db()
    assert certificate.module_title == "Trauma-informed care in practice"
    assert certificate.cpd_minutes == 90


def test_issue_is_idempotent_per_person_and_module(practitioner, module, people):
    first = issue(practitioner, module)
    again = certificates.certificate_issue(
        user=practitioner, module=module, completed_on=date(2026, 3, 1)
    )
    assert again.pk == first.pk
    assert again.completed_on == date(2026, 1, 1)
    assert Certificate.objects.filter(user=practitioner).count() == 1
    assert AuditEvent.objects.filter(action="certificate.issued").count() == 1
    other = issue(people["supervisor"], module)
    assert other.pk != first.pk and other.code != first.code


def test_issue_refuses_a_deactivated_account(people, module):
    with pytest.raises(PermissionDenied):
        issue(people["deactivated"], module)
    assert not Certificate.objects.exists()


def test_codes_are_short_unambiguous_and_unique():
    codes = {certificates.certificate_code_new() for _ in range(3000)}
    assert len(codes) == 3000
    for code in codes:
        assert CODE_RE.match(code), code
        assert len(code) < 20
        assert not set(code) & set("0O1I")


def test_a_colliding_code_is_replaced(practitioner, module, people, monkeypatch):
    taken = issue(people["supervisor"], module)
    codes = iter([taken.code, "HH-NEWC-ADEX-XXXX"])
    monkeypatch.setattr(certificates, "certificate_code_new", lambda: next(codes))
    certificate = issue(practitioner, module)
    assert certificate.code == "HH-NEWC-ADEX-XXXX"


def test_code_typed_by_hand_is_normalised():
    assert certificates.certificate_code_normalise("hh-abcd-efgh-jkmn") == "HH-ABCD-EFGH-JKMN"
    assert certificates.certificate_code_normalise("ABCD EFGH JKMN") == "HH-ABCD-EFGH-JKMN"
    assert certificates.certificate_code_normalise("nonsense") == "NONSENSE"


def test_issuing_enqueues_the_pdf_after_commit(
    practitioner, module, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        certificate = issue(practitioner, module)
    assert callbacks  # the PDF task, then (once it has run) the notice's email
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    assert len(mail.outbox) == 1


# --- The PDF task ---------------------------------------------------------------------------


def test_task_builds_the_pdf_marks_it_ready_and_emails_once(
    practitioner, module, django_capture_on_commit_callbacks
):
    certificate = issue(practitioner, module)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_generate_pdf.delay(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    with certificate.pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [practitioner.email]
    assert message.subject == (
        "Holding Hope: Your certificate for Trauma-informed care in practice is ready."
    )
    assert "http://testserver/learning/" in message.body
    assert certificate.code not in message.body
    assert practitioner.get_full_name() not in message.body
    assert AuditEvent.objects.filter(action="certificate.ready").count() == 1

    name = certificate.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        certificate_generate_pdf.delay(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="certificate.ready").count() == 1


def test_task_for_a_missing_certificate_does_nothing():
    certificate_generate_pdf.delay(999_999)
    assert mail.outbox == []


def test_a_failed_email_leaves_the_certificate_ready_and_the_email_queued_for_the_relay(
    practitioner, module, monkeypatch, django_capture_on_commit_callbacks
):
    from learning import notify
    from learning.models import Notification, OutboxMessage
    from learning.outbox import outbox_relay_once

    certificate = issue(practitioner, module)

    def broken(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(notify, "_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        certificates.certificate_pdf_build(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    notice = Notification.objects.get(recipient=practitioner, kind="certificate.ready")
    assert notice.emailed_at is None  # the claim was released
    waiting = OutboxMessage.objects.get(task_name="hope.notify.email_send", sent_at=None)
    assert waiting.last_error == "ConnectionError" and mail.outbox == []

    monkeypatch.undo()
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(1))
    assert outbox_relay_once() == 1
    assert outbox_relay_once() == 0
    assert certificates.certificate_pdf_build(certificate_id=certificate.pk) is False
    assert len(mail.outbox) == 1


def test_certificate_pdf_handles_names_beyond_ascii():
    from modules import pdf

    body = pdf.certificate_pdf(
        holder_name="Łucja Nowak-O’Brien",
        module_title="Family justice processes & <you>",
        completed_on=date(2026, 1, 1),
        cpd_minutes=150,
        code="HH-ABCD-EFGH-JKMN",
        verify_url="http://testserver/certificates/HH-ABCD-EFGH-JKMN/",
        issued_on=date(2026, 1, 2),
    )
    assert body.startswith(b"%PDF")


# --- Selectors ------------------------------------------------------------------------------


def test_certificates_for_is_only_the_persons_own_newest_first(practitioner, people, home_page):
    first = make_module("Module one")
    second = make_module("Module two")
    older = complete(practitioner, first, date(2025, 1, 1))
    newer = complete(practitioner, second, date(2025, 6, 1))
    complete(people["supervisor"], first, date(2025, 1, 1))
    assert list(certificates.certificates_for(practitioner)) == [newer, older]
    assert list(certificates.certificates_for(None)) == []
    assert list(certificates.certificates_visible_to(people["deactivated"])) == []


# --- Public verification --------------------------------------------------------------------


def test_verify_page_shows_only_what_verifies_the_certificate(
    client, practitioner, module, django_assert_num_queries
):
    certificate = complete(practitioner, module, date(2026, 1, 5))
    url = reverse("certificate_verify", kwargs={"code": certificate.code})
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is valid" in html
    assert practitioner.get_full_name() in html
    assert "Trauma-informed care in practice" in html
    assert "5 January 2026" in html
    assert "1 hour 30 minutes" in html
    assert practitioner.email not in html
    assert "noindex" in html
    # Typed by hand, in lower case.
    assert client.get(f"/certificates/{certificate.code.lower()}/").status_code == 200


def test_verify_unknown_code_is_a_helpful_404(client, db, django_assert_num_queries):
    # One look-up, then Wagtail's redirects middleware checks its table on every 404 (two).
    with django_assert_num_queries(3):
        response = client.get("/certificates/HH-ZZZZ-ZZZZ-ZZZZ/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Certificate not found" in html
    assert "Check the code is typed exactly as it is printed on the certificate" in html


def test_verify_works_after_the_module_page_is_deleted(client, practitioner, module):
    certificate = complete(practitioner, module, date(2026, 1, 5))
    module.delete()
    response = client.get(reverse("certificate_verify", kwargs={"code": certificate.code}))
    assert response.status_code == 200
    assert "Trauma-informed care in practice" in response.content.decode()


# --- Download -------------------------------------------------------------------------------


def test_owner_downloads_the_pdf(client, practitioner, module, django_assert_num_queries):
    certificate = ready(complete(practitioner, module, date(2026, 1, 5)))
    client.force_login(practitioner)
    url = reverse("certificate_download", kwargs={"code": certificate.code})
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert certificate.code in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["supervisor", "org_admin", "facilitator", "superuser"])
def test_anyone_else_gets_404_on_download(client, people, practitioner, module, role):
    certificate = ready(complete(practitioner, module, date(2026, 1, 5)))
    client.force_login(people[role])
    response = client.get(reverse("certificate_download", kwargs={"code": certificate.code}))
    assert response.status_code == 404


def test_anonymous_download_goes_to_sign_in(client, practitioner, module):
    certificate = ready(complete(practitioner, module, date(2026, 1, 5)))
    response = client.get(reverse("certificate_download", kwargs={"code": certificate.code}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_pending_download_says_it_is_being_prepared(client, practitioner, module):
    certificate = complete(practitioner, module, date(2026, 1, 5))
    client.force_login(practitioner)
    response = client.get(reverse("certificate_download", kwargs={"code": certificate.code}))
    assert response.status_code == 202
    assert "Your certificate is being prepared" in response.content.decode()


# --- The CPD record -------------------------------------------------------------------------


def test_duration_and_hours():
    assert cpd.duration_text(0) == "0 minutes"
    assert cpd.duration_text(45) == "45 minutes"
    assert cpd.duration_text(60) == "1 hour"
    assert cpd.duration_text(150) == "2 hours 30 minutes"
    assert cpd.duration_text(61) == "1 hour 1 minute"
    assert cpd.hours_decimal(90) == "1.50"
    assert cpd.hours_decimal(20) == "0.33"
    assert cpd.hours_decimal(0) == "0.00"


def test_window_is_the_last_three_years():
    assert cpd.window_start(date(2026, 3, 5)) == date(2023, 3, 5)
    assert cpd.window_start(date(2028, 2, 29)) == date(2025, 2, 28)


@pytest.fixture
def record_data(practitioner, people, home_page):
    """Four completions: two in the window, one just inside its first day, one outside."""
    today = timezone.localdate()
    recent = make_module("Separation at birth: what we know", cpd_minutes=90)
    last_year = make_module("HOPE Boxes", cpd_minutes=45)
    edge = make_module("Family justice processes", cpd_minutes=30)
    old = make_module("Looking after yourself and each other", cpd_minutes=120)
    topic = Topic.objects.create(name="Trauma-informed care", slug="trauma-informed-care")
    ModulePage.topics.through.objects.create(modulepage=recent, topic=topic)
    LearningOutcome.objects.create(page=recent, text="Describe the Born into Care figures")
    LearningOutcome.objects.create(page=recent, text="Explain why support matters")
    complete(practitioner, recent, today)
    complete(practitioner, last_year, today - timedelta(days=365), certificate=False)
    complete(practitioner, edge, cpd.window_start(today))
    complete(practitioner, old, cpd.window_start(today) - timedelta(days=1))
    # Someone else's learning never shows.
    complete(people["supervisor"], recent, today)
    return {"today": today, "recent": recent}


def test_cpd_page_lists_completions_with_totals_for_the_last_three_years(
    client, practitioner, record_data
):
    client.force_login(practitioner)
    response = client.get(reverse("cpd_record"))
    assert response.status_code == 200
    html = response.content.decode()
    record = response.context["record"]
    assert [e.title for e in record.entries] == [
        "Separation at birth: what we know",
        "HOPE Boxes",
        "Family justice processes",
        "Looking after yourself and each other",
    ]
    assert record.window_minutes == 90 + 45 + 30
    assert "2 hours 45 minutes" in html
    assert "from 3 modules." in html
    assert "Looking after yourself and each other" in html  # shown, not counted
    assert {y.year for y in record.years} == {e.completed_on.year for e in record.entries}
    own = Certificate.objects.get(user=practitioner, module=record_data["recent"])
    assert reverse("certificate_verify", kwargs={"code": own.code}) in html
    others = Certificate.objects.exclude(user=practitioner).get()
    assert others.code not in html
    assert "Not issued" in html
    assert "Once they sign it off it counts here." in html


def test_cpd_page_counts_certificates_of_deleted_modules(client, practitioner, record_data):
    record_data["recent"].delete()
    client.force_login(practitioner)
    record = client.get(reverse("cpd_record")).context["record"]
    assert "Separation at birth: what we know" in [e.title for e in record.entries]
    assert record.window_minutes == 90 + 45 + 30


def test_cpd_page_with_nothing_completed(client, practitioner, home_page):
    client.force_login(practitioner)
    response = client.get(reverse("cpd_record"))
    assert response.status_code == 200
    assert "Nothing completed yet" in response.content.decode()


def _completions(user, n: int):
    today = timezone.localdate()
    for i in range(n):
        module = make_module(f"Module number {i}", cpd_minutes=30 + i)
        complete(user, module, today - timedelta(days=40 * i), certificate=i % 3 != 0)


# The user, certificates, completed enrolments and signed-off reflections; the page adds the
# person's memberships and groups (the navigation), whether they facilitate a space (the header's
# "Moderation" link) and the header's unread count (each read once, then cached), the CSV adds
# the modules' topics and learning outcomes; both exports add the CPD logged in the portfolio.
@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(("export", "queries"), [("", 8), ("csv", 7), ("pdf", 5)])
def test_cpd_query_count_does_not_grow_with_completions(
    client, practitioner, home_page, django_assert_num_queries, rows, export, queries
):
    _completions(practitioner, rows)
    client.force_login(practitioner)
    data = {"format": export} if export else {}
    with django_assert_num_queries(queries):
        response = client.get(reverse("cpd_record"), data)
    assert response.status_code == 200
    if not export:
        assert len(response.context["record"].entries) == rows


def test_cpd_csv_export(client, practitioner, record_data):
    client.force_login(practitioner)
    response = client.get(reverse("cpd_record"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cpd-record-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ",".join(rows[0]) == (
        "Date,Activity,Type of learning,Method,Hours,Participatory hours,Topic,"
        "Learning outcomes,Description,Certificate code,Certificate verification link"
    )
    assert len(rows) == 4
    assert [r["Activity"] for r in rows][-1] == "Separation at birth: what we know"  # oldest first
    recent = rows[-1]
    code = Certificate.objects.get(user=practitioner, module=record_data["recent"]).code
    assert recent == {
        "Date": record_data["today"].isoformat(),
        "Activity": "Separation at birth: what we know",
        "Type of learning": "Online learning module",
        "Method": "Individual learning: self-directed online module",
        "Hours": "1.50",
        "Participatory hours": "0.00",
        "Topic": "Trauma-informed care",
        "Learning outcomes": "Describe the Born into Care figures; Explain why support matters",
        "Description": (
            "Completed the Holding Hope online learning module “Separation at birth: what we "
            "know”. What separation at birth: what we know means day to day."
        ),
        "Certificate code": code,
        "Certificate verification link": f"http://testserver/certificates/{code}/",
    }
    hope_boxes = next(r for r in rows if r["Activity"] == "HOPE Boxes")
    assert hope_boxes["Hours"] == "0.75"
    assert hope_boxes["Certificate code"] == ""


def test_cpd_csv_cells_never_start_a_formula(client, practitioner, home_page):
    module = make_module("=HYPERLINK(1)", cpd_minutes=30)
    complete(practitioner, module, timezone.localdate())
    client.force_login(practitioner)
    response = client.get(reverse("cpd_record"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_cpd_pdf_export(client, practitioner, record_data):
    client.force_login(practitioner)
    response = client.get(reverse("cpd_record"), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="cpd-record-')
    assert response.content.startswith(b"%PDF")


def test_cpd_unknown_format_is_400_with_a_message(client, practitioner, home_page):
    client.force_login(practitioner)
    response = client.get(reverse("cpd_record"), {"format": "docx"})
    assert response.status_code == 400
    assert "as a spreadsheet (CSV) or as a PDF" in response.content.decode()


def test_cpd_needs_sign_in(client, db):
    response = client.get(reverse("cpd_record"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
