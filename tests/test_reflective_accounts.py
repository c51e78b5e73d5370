"""Signed-off reflections on the CPD record, and the NMC-style written reflective account."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from learning.models import AuditEvent
from reflection.journal import services as journal_services
from reflection.signoff import services as signoff_services

from .journal_factories import SENTINEL, make_entry

pytestmark = pytest.mark.django_db


def signed(people, *, title="A hard day in clinic", comment="Thoughtful and honest."):
    entry = make_entry(people["practitioner"], title=title)
    request = signoff_services.signoff_request_create(
        author=people["practitioner"], entry=entry, supervisor=people["supervisor"], note=""
    )
    return signoff_services.signoff_sign(
        supervisor=people["supervisor"], request=request, comment=comment
    )


def test_cpd_record_counts_only_your_own_signed_off_reflections(
    client, people, home_page, django_assert_num_queries
):
    signed(people, title="Court day reflection")
    # Waiting and returned versions do not count.
    waiting = make_entry(people["practitioner"], title="Still waiting")
    signoff_services.signoff_request_create(
        author=people["practitioner"], entry=waiting, supervisor=people["supervisor"], note=""
    )
    returned = signoff_services.signoff_request_create(
        author=people["practitioner"],
        entry=make_entry(people["practitioner"], title="Sent back"),
        supervisor=people["supervisor"],
        note="",
    )
    signoff_services.signoff_return(
        supervisor=people["supervisor"], request=returned, comment="Say more."
    )
    client.force_login(people["practitioner"])
    client.get(reverse("cpd_record"))
    # certificates, completed enrolments, signed-off reflections (roles are cached)
    with django_assert_num_queries(3):
        response = client.get(reverse("cpd_record"))
    html = response.content.decode()
    assert "Court day reflection" in html
    assert "Still waiting" not in html and "Sent back" not in html
    assert "signed off 1 reflection" in html
    assert "The NMC asks for 5 written reflective accounts" in html
    assert SENTINEL not in html  # the private narrative never appears
    # The supervisor's own CPD record does not list the practitioner's reflection.
    client.force_login(people["supervisor"])
    assert "Court day reflection" not in client.get(reverse("cpd_record")).content.decode()


def test_cpd_exports_list_reflective_accounts_without_their_text(client, people, home_page):
    signed(people, title="Court day reflection")
    client.force_login(people["practitioner"])
    response = client.get(reverse("cpd_record"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    [account_row] = [r for r in rows if r[2] == "Written reflective account"]
    assert account_row[1] == "Court day reflection"
    assert "Signed off by" in account_row[8]
    text = response.content.decode()
    assert SENTINEL not in text and "supervision sooner" not in text
    pdf = client.get(reverse("cpd_record"), {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_deleted_entry_keeps_its_signed_off_account(client, people, home_page):
    request = signed(people, title="Deleted later")
    journal_services.journal_entry_delete(actor=people["practitioner"], entry=request.entry)
    client.force_login(people["practitioner"])
    html = client.get(reverse("cpd_record")).content.decode()
    assert "Deleted later" not in html
    assert "A reflection you have since deleted" in html
    page = client.get(reverse("reflective_account", args=[request.pk]))
    assert page.status_code == 200
    assert "I will ask for supervision sooner." in page.content.decode()


def test_reflective_account_page_and_downloads(
    client, people, home_page, django_assert_num_queries
):
    request = signed(people)
    url = reverse("reflective_account", args=[request.pk])
    client.force_login(people["practitioner"])
    client.get(url)
    with django_assert_num_queries(1):  # the signed-off version (the person's row is cached)
        page = client.get(url).content.decode()
    assert "What did you learn from it" in page
    assert "I will ask for supervision sooner." in page  # the signed-off summary
    assert SENTINEL not in page and "What happened." not in page  # never the narrative
    assert "Gibbs" in page and "15 January 2026" in page
    # The model's own name, with nothing added: never "Gibbs' reflective cycle reflective model".
    assert "using Gibbs&#x27; reflective cycle." in page
    assert "reflective cycle reflective model" not in page
    text = client.get(url, {"format": "txt", "theme": ["people", "safety", "nonsense"]})
    assert text["Content-Disposition"].startswith("attachment;")
    body = text.content.decode()
    assert "Prioritise people, Preserve safety" in body
    assert "Thoughtful and honest." in body and request.content_hash in body
    assert SENTINEL not in body
    pdf = client.get(url, {"format": "pdf", "theme": "trust"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    events = list(AuditEvent.objects.filter(action="signoff.account_exported").order_by("id"))
    assert [e.data["format"] for e in events] == ["txt", "pdf"]
    for event in events:
        assert event.actor_id == people["practitioner"].pk and event.target_id == str(request.pk)
        assert "sooner" not in str(event.data)


@pytest.mark.parametrize(
    "role", ["supervisor", "org_admin", "facilitator", "editor", "coordinator", "superuser"]
)
def test_nobody_else_sees_a_reflective_account(client, people, role):
    request = signed(people)
    client.force_login(people[role])
    url = reverse("reflective_account", args=[request.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "pdf"}).status_code == 404
    assert not AuditEvent.objects.filter(action="signoff.account_exported").exists()


def test_a_reopened_version_is_no_longer_an_account(client, people):
    request = signed(people)
    signoff_services.signoff_reopen(
        supervisor=people["supervisor"], request=request, reason="I signed too soon."
    )
    client.force_login(people["practitioner"])
    assert client.get(reverse("reflective_account", args=[request.pk])).status_code == 404
