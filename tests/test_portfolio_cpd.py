"""The revalidation portfolio's CPD: external CPD logged (identifier-guarded, sanitised, with an
evidence file checked for size and type and served to its owner only), and the record that adds
the platform's modules and the participatory learning it already holds: reflective sessions
attended and group supervision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from community.models import SessionSignup
from learning.models import AuditEvent
from learning.privacy import handlers
from reflection.portfolio import selectors, services
from reflection.portfolio.models import ExternalCpd

from .community_factories import SpaceFactory, session
from .factories import UserFactory
from .portfolio_factories import PDF_BYTES, make_external_cpd
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    today = timezone.localdate() - timedelta(days=3)
    data = {
        "done_on_day": str(today.day),
        "done_on_month": str(today.month),
        "done_on_year": str(today.year),
        "title": "Regional <b>perinatal</b> conference",
        "kind": "conference",
        "hours": "6.5",
        "participatory": "yes",
        "learnt": "New guidance on screening.",
        "practice_change": "I use the screening questions at booking.",
        "themes": ["nmc_people", "nmc_safety"],
    }
    data.update(overrides)
    return data


def test_external_cpd_is_logged_sanitised_and_audited(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("external_cpd_new")).status_code == 200
    response = client.post(reverse("external_cpd_new"), _form())
    assert response.status_code == 302
    item = ExternalCpd.objects.get(owner=user)
    assert item.title == "Regional perinatal conference"
    assert item.minutes == 390
    assert item.participatory is True
    assert item.themes == ["nmc_people", "nmc_safety"]
    event = AuditEvent.objects.get(action="portfolio.external_cpd_added")
    assert "perinatal" not in str(event.data)
    assert event.data["minutes"] == 390


def test_identifiers_are_held_until_confirmed(client):
    user = UserFactory()
    client.force_login(user)
    data = _form(learnt="Mrs Smith told me about the clinic.")
    response = client.post(reverse("external_cpd_new"), data)
    assert response.status_code == 400
    assert "Check these details before you save" in response.content.decode()
    assert not ExternalCpd.objects.exists()
    response = client.post(reverse("external_cpd_new"), {**data, "confirm_identifiers": "on"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="portfolio.external_cpd_added")
    assert event.data["identifier_kinds"] == ["name"]


def test_hours_and_future_dates_are_refused_on_their_fields(client):
    user = UserFactory()
    client.force_login(user)
    future = timezone.localdate() + timedelta(days=5)
    response = client.post(
        reverse("external_cpd_new"),
        _form(
            hours="0",
            done_on_day=str(future.day),
            done_on_month=str(future.month),
            done_on_year=str(future.year),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter at least 0.25 hours" in page
    assert "must be today or in the past" in page
    assert not ExternalCpd.objects.exists()


@override_settings(HOPE_MAX_EVIDENCE_MB=1)
def test_evidence_is_type_and_size_checked_and_served_to_its_owner_only(client):
    user = UserFactory()
    client.force_login(user)
    fake = SimpleUploadedFile("notes.pdf", b"<script>alert(1)</script>")
    response = client.post(reverse("external_cpd_new"), {**_form(), "evidence": fake})
    assert "The file must be a PDF, JPG or PNG." in response.content.decode()
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    response = client.post(reverse("external_cpd_new"), {**_form(), "evidence": big})
    assert "The file must be smaller than 1 MB." in response.content.decode()
    assert not ExternalCpd.objects.exists()

    good = SimpleUploadedFile("../My certificate.pdf", PDF_BYTES)
    response = client.post(reverse("external_cpd_new"), {**_form(), "evidence": good})
    assert response.status_code == 302
    item = ExternalCpd.objects.get(owner=user)
    assert item.evidence_name == "My certificate.pdf"
    assert "certificate" not in item.evidence.name
    url = reverse("external_cpd_evidence", args=[item.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("external_cpd_edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("external_cpd_delete", args=[item.pk])).status_code == 404
    assert ExternalCpd.objects.filter(pk=item.pk).exists()


def test_changing_and_deleting_remove_the_old_file(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    item = make_external_cpd(user, evidence=True)
    storage, old = item.evidence.storage, item.evidence.name
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("external_cpd_edit", args=[item.pk]),
            _form(title="Changed title", remove_evidence="on"),
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Changed title"
    assert not item.evidence
    assert not storage.exists(old)
    response = client.post(reverse("external_cpd_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not ExternalCpd.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action="portfolio.external_cpd_deleted").count() == 1


def test_the_record_counts_participatory_hours_from_every_source(client):
    user = UserFactory()
    make_external_cpd(user, minutes=360, participatory=True)
    make_external_cpd(user, title="Reading", minutes=120, participatory=False, themes=[])
    space = SpaceFactory()
    attended = session(space, starts_in_days=-10, duration_minutes=90, title="Reflective group")
    SessionSignup.objects.create(session=attended, user=user, attended=True)
    missed = session(space, starts_in_days=-5, title="Missed group")
    SessionSignup.objects.create(session=missed, user=user, attended=False)
    rel = make_relationship(supervisee=user)
    make_session(rel, locked=True, format="group", duration=60)
    make_session(rel, locked=True, format="one_to_one", duration=60)  # not participatory here
    make_session(rel, locked=False, format="group", duration=60)  # not yet confirmed

    record = selectors.portfolio_cpd_record(user)
    assert record.sources == {"module": 0, "external": 2, "session": 1, "supervision": 1}
    assert record.window_minutes == 360 + 120 + 90 + 60
    assert record.window_participatory_minutes == 360 + 90 + 60

    client.force_login(user)
    page = client.get(reverse("portfolio_cpd")).content.decode()
    assert "Link to the Code" in page
    assert "NMC Code: Prioritise people" in page
    assert "Reflective group" in page
    assert "Missed group" not in page
    assert "8 hours 30 minutes" in page  # 360 + 90 + 60 minutes participatory


def test_someone_elses_cpd_is_not_in_the_record():
    user, other = UserFactory(), UserFactory()
    make_external_cpd(other)
    assert selectors.portfolio_cpd_record(user).rows == []


def test_privacy_exports_and_erases_external_cpd():
    user = UserFactory()
    item = make_external_cpd(user, evidence=True)
    storage, stored = item.evidence.storage, item.evidence.name
    (handler,) = [h for h in handlers() if h.label == "reflection.externalcpd"]
    rows = handler.export(user)
    assert rows[0]["title"] == item.title
    handler.erase(user)
    assert not ExternalCpd.objects.filter(owner=user).exists()
    assert not storage.exists(stored)


def test_a_service_refuses_anothers_entry():
    from django.core.exceptions import PermissionDenied

    item = make_external_cpd(UserFactory())
    with pytest.raises(PermissionDenied):
        services.external_cpd_delete(owner=UserFactory(), item=item)
