"""The rest of the revalidation portfolio: Social Work England's peer reflection and task list,
editing feedback, an evidence file kept through the identifier check, CPD logged elsewhere in
the CPD record's CSV and PDF, the revalidation pack PDF and evidence files in "Download my
data"."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from learning.models import AuditEvent
from learning.privacy import services as privacy_services
from learning.privacy.archive import archive_key_new, decrypted_chunks
from reflection.portfolio.held import HELD_DIR
from reflection.portfolio.models import ExternalCpd, PracticeFeedback
from reflection.portfolio.revalidation import revalidation_task_list, swe_registration_year

from .factories import UserFactory
from .portfolio_factories import PDF_BYTES, make_discussion, make_external_cpd, make_feedback

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    # today: the Social Work England registration year may have begun yesterday
    when = timezone.localdate()
    data = {
        "done_on_day": str(when.day),
        "done_on_month": str(when.month),
        "done_on_year": str(when.year),
        "title": "Peer learning set",
        "kind": "group",
        "hours": "2",
        "participatory": "yes",
        "learnt": "How colleagues prepare for pre-birth assessments.",
        "practice_change": "I prepare the mother for each stage.",
    }
    data.update(overrides)
    return data


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_swe_registration_year_runs_december_to_november():
    assert swe_registration_year(date(2026, 6, 1)) == (date(2025, 12, 1), date(2026, 11, 30))
    assert swe_registration_year(date(2026, 12, 2)) == (date(2026, 12, 1), date(2027, 11, 30))
    assert swe_registration_year(date(2026, 6, 1), date(2026, 11, 30))[1] == date(2026, 11, 30)


def test_peer_reflection_is_recorded_and_counted_for_social_work_england(client):
    user = UserFactory(professional_register="swe", registration_number="SW123456")
    client.force_login(user)
    tasks = {t.key: t.status for t in revalidation_task_list(user).tasks}
    assert tasks == {"swe_pieces": "not_started", "swe_peer": "not_started"}
    assert revalidation_task_list(user).due_on.month == 11

    response = client.post(reverse("external_cpd_new"), _form(peer_reflection="yes"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the name of the peer" in page
    assert "Enter what you learnt from the peer reflection" in page
    response = client.post(
        reverse("external_cpd_new"),
        _form(
            peer_reflection="yes",
            peer_name="Sam Patel",
            peer_role="Senior social worker",
            peer_summary="We talked about how I explain the letter before proceedings.",
        ),
    )
    assert response.status_code == 302
    item = ExternalCpd.objects.get(owner=user)
    assert item.peer_reflection and item.peer_name == "Sam Patel"
    tasks = {t.key: t.status for t in revalidation_task_list(user).tasks}
    assert tasks == {"swe_pieces": "in_progress", "swe_peer": "completed"}
    # without peer reflection, the peer fields are not kept
    client.post(reverse("external_cpd_new"), _form(title="Reading", peer_name="Ignored"))
    reading = ExternalCpd.objects.get(title="Reading")
    assert not reading.peer_reflection and reading.peer_name == ""
    tasks = {t.key: t.status for t in revalidation_task_list(user).tasks}
    assert tasks["swe_pieces"] == "completed"
    page = client.get(reverse("external_cpd_new")).content.decode()
    assert "socialworkengland.org.uk/standards" in page


def test_feedback_can_be_changed_by_its_owner_only(client):
    user = UserFactory()
    item = make_feedback(user)
    url = reverse("feedback_edit", args=[item.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(user)
    page = client.get(url).content.decode()
    assert "Change feedback" in page and item.summary in page
    when = timezone.localdate() - timedelta(days=1)
    data = {
        "received_on_day": str(when.day),
        "received_on_month": str(when.month),
        "received_on_year": str(when.year),
        "source": "people",
        "summary": "Mrs Jones said I listened.",
        "learnt": "Listening <i>first</i> helps.",
    }
    assert client.post(url, data).status_code == 400
    assert client.post(url, {**data, "confirm_identifiers": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.source == "people" and item.learnt == "Listening first helps."
    assert AuditEvent.objects.filter(action="portfolio.feedback_changed").exists()
    assert PracticeFeedback.objects.count() == 1


def test_a_file_chosen_before_the_identifier_check_is_kept(client):
    user = UserFactory()
    client.force_login(user)
    data = _form(learnt="Mrs Smith told me about the clinic.")
    upload = SimpleUploadedFile("My certificate.pdf", PDF_BYTES)
    response = client.post(reverse("external_cpd_new"), {**data, "evidence": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "My certificate.pdf, is kept" in page
    token = response.context["held_token"]
    assert token and default_storage.listdir(HELD_DIR)[1]

    # someone else cannot use the reference
    other = UserFactory()
    client.force_login(other)
    client.post(
        reverse("external_cpd_new"),
        {**data, "confirm_identifiers": "on", "evidence_held": token},
    )
    assert not ExternalCpd.objects.get(owner=other).evidence

    client.force_login(user)
    response = client.post(
        reverse("external_cpd_new"),
        {**data, "confirm_identifiers": "on", "evidence_held": token},
    )
    assert response.status_code == 302
    item = ExternalCpd.objects.get(owner=user)
    assert item.evidence_name == "My certificate.pdf"
    with item.evidence.open("rb") as fh:
        assert fh.read() == PDF_BYTES
    held_path = signing.loads(token, salt="reflection.portfolio.evidence_held")["p"]
    assert not default_storage.exists(held_path)  # the held copy is gone once saved


def test_the_cpd_exports_include_cpd_logged_elsewhere(client):
    user = UserFactory()
    make_external_cpd(user, title="=HYPERLINK(1) study day", minutes=90)
    client.force_login(user)
    csv = client.get(reverse("cpd_record") + "?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1) study day" in csv
    assert "1.50" in csv and "Screening questions for anxiety." in csv
    pdf = client.get(reverse("cpd_record") + "?format=pdf").content
    text = _text(pdf)
    assert "CPD logged elsewhere" in text, text
    assert "HYPERLINK" in text


def test_the_revalidation_pack_holds_every_part(client):
    user = UserFactory(
        professional_register="nmc",
        registration_number="12A3456E",
        registration_renewal_on=date(2027, 3, 31),
        display_name="Siân Ŵyn Jones",
    )
    colleague = UserFactory(professional_register="nmc", registration_number="98B7654C")
    make_external_cpd(user, title="Perinatal study day")
    make_feedback(user)
    make_discussion(user, colleague, confirmed=True)
    client.force_login(user)
    home = client.get(reverse("portfolio_home")).content.decode()
    assert reverse("revalidation_pack") in home
    response = client.get(reverse("revalidation_pack"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for heading, sample in (
        ("Revalidation pack", "Siân Ŵyn Jones"),
        ("Task list", "Reflective discussion"),
        ("CPD record", "Perinatal study day"),
        ("Written reflective accounts", "No reflective accounts"),
        ("Practice-related feedback", "handover"),
        ("Reflective discussion", "Alex Morgan"),
        ("Declarations and confirmation", "Confirmation: not yet"),
    ):
        assert heading in text and sample in text, heading
    assert "Confirmed by" in text and "98B7654C" in text
    assert "12A3456E" not in text.split("Task list")[0]  # number hidden unless chosen
    assert AuditEvent.objects.filter(action="portfolio.pack_exported").exists()

    user.registration_number_shown = True
    user.save()
    text = _text(client.get(reverse("revalidation_pack")).content)
    assert "NMC 12A3456E" in text.split("Task list")[0]


def test_evidence_files_are_in_the_data_download():
    user = UserFactory()
    item = make_external_cpd(user, evidence=True)
    key, sink = archive_key_new(), io.BytesIO()
    records = privacy_services.records_about(user)
    privacy_services._archive_write(sink, key=key, user=user, records=records)
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(decrypted_chunks(io.BytesIO(sink.getvalue()), key)))
    )
    assert archive.read(f"files/cpd-evidence/{item.pk}-certificate.pdf") == PDF_BYTES
