"""Inviting several colleagues at once: addresses pasted (lines, commas, semicolons) or in a
CSV file, one role; each address checked and reported; one invitation service call per address;
rate limited; nothing typed is lost."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from learning.invitations_bulk import addresses_from_csv, addresses_from_text
from learning.models import AuditEvent, Invitation, OutboxMessage

from .factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _url(organisation) -> str:
    return reverse("organisation_invite_bulk", kwargs={"slug": organisation.slug})


def _rows(body: str) -> dict[str, str]:
    """Address -> what happened to it (the first time it is listed)."""
    import re

    table = body.split('id="invite-results"')[1].split("</table>")[0]
    rows = re.findall(r"<td[^>]*>([^<]*)</td>\s*<td[^>]*>(.*?)</td>", table, re.S)
    found: dict[str, str] = {}
    for email, what in rows:
        found.setdefault(email, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", what)).strip())
    return found


def test_addresses_are_read_from_lines_commas_semicolons_and_names():
    text = "a@nhs.net, b@nhs.net;c@nhs.net\n\n  Dee Smith <d@nhs.net>\ne@nhs.net;"
    assert addresses_from_text(text) == [
        "a@nhs.net",
        "b@nhs.net",
        "c@nhs.net",
        "d@nhs.net",
        "e@nhs.net",
    ]
    data = "\ufeffName,Email\nAna,ana@nhs.net\nBo,bo@nhs.net\n".encode()
    assert addresses_from_csv(data) == ["ana@nhs.net", "bo@nhs.net"]


def test_each_address_is_checked_and_reported(client, people, organisation):
    admin = people["org_admin"]
    MembershipFactory(organisation=organisation, role="practitioner", user__email="in@nhs.net")
    InvitationFactory(organisation=organisation, email="waiting@nhs.net", role="practitioner")
    client.force_login(admin)
    text = (
        "new.one@nhs.net\nNew.Two@nhs.net, new.one@nhs.net; not-an-address\n"
        f"in@nhs.net\nwaiting@nhs.net\n{admin.email}"
    )
    response = client.post(_url(organisation), {"addresses": text, "role": "practitioner"})
    assert response.status_code == 200
    body = response.content.decode()
    rows = _rows(body)
    assert rows["new.one@nhs.net"].startswith("Invited")
    assert rows["new.two@nhs.net"].startswith("Invited")
    assert "listed more than once" in body
    assert "not an email address" in rows["not-an-address"]
    assert "already a member" in rows["in@nhs.net"]
    assert "already waiting" in rows["waiting@nhs.net"]
    assert "cannot invite yourself" in rows[admin.email.lower()]
    assert "2 invitations sent." in body
    sent = Invitation.objects.filter(organisation=organisation, revoked_at=None)
    assert set(sent.values_list("email", flat=True)) == {
        "new.one@nhs.net",
        "new.two@nhs.net",
        "waiting@nhs.net",
    }
    # One invitation service call per address sent: each audited and its email queued.
    assert AuditEvent.objects.filter(action="invitation.created").count() == 2
    assert OutboxMessage.objects.filter(task_name__contains="invitation").count() == 2
    # What is worth correcting stays in the box; what was sent does not.
    box = body.split('name="addresses"')[1].split("</textarea>")[0]
    assert "not-an-address" in box and "new.one@nhs.net" not in box


def test_a_csv_file_with_one_role(client, people, organisation):
    client.force_login(people["org_admin"])
    upload = SimpleUploadedFile(
        "team.csv", b"Name,Email\nAna,ana@nhs.net\nBo,bo@nhs.net\n", content_type="text/csv"
    )
    response = client.post(_url(organisation), {"file": upload, "role": "supervisor"})
    assert response.status_code == 200
    assert set(
        Invitation.objects.filter(organisation=organisation, role="supervisor").values_list(
            "email", flat=True
        )
    ) == {"ana@nhs.net", "bo@nhs.net"}


def test_bad_input_keeps_what_was_typed(client, people, organisation):
    client.force_login(people["org_admin"])
    empty = client.post(_url(organisation), {"addresses": "  ", "role": "practitioner"})
    assert empty.status_code == 400
    assert "Enter the email addresses" in empty.content.decode()
    no_role = client.post(_url(organisation), {"addresses": "kept@nhs.net"})
    assert no_role.status_code == 400
    assert "kept@nhs.net" in no_role.content.decode()
    assert "Choose the role" in no_role.content.decode()
    too_big = SimpleUploadedFile("big.csv", b"a@nhs.net," * 60_000, content_type="text/csv")
    response = client.post(
        _url(organisation), {"addresses": "kept@nhs.net", "file": too_big, "role": "practitioner"}
    )
    assert response.status_code == 400 and "kept@nhs.net" in response.content.decode()
    assert not Invitation.objects.filter(email="kept@nhs.net").exists()


@override_settings(HOPE_RATE_LIMITS={"invite": "2/1h"})
def test_invitations_are_rate_limited_and_the_rest_kept(client, people, organisation):
    client.force_login(people["org_admin"])
    text = "one@nhs.net\ntwo@nhs.net\nthree@nhs.net\nfour@nhs.net"
    body = client.post(_url(organisation), {"addresses": text, "role": "practitioner"})
    rows = _rows(body.content.decode())
    assert rows["one@nhs.net"].startswith("Invited") and rows["two@nhs.net"].startswith("Invited")
    assert "Not sent yet" in rows["three@nhs.net"] and "Not sent yet" in rows["four@nhs.net"]
    box = body.content.decode().split('name="addresses"')[1].split("</textarea>")[0]
    assert "three@nhs.net" in box and "four@nhs.net" in box and "one@nhs.net" not in box
    assert Invitation.objects.filter(organisation=organisation).count() == 2


def test_only_that_organisations_admins(client, people, organisation, other_organisation):
    client.force_login(people["org_admin"])
    assert client.get(_url(other_organisation)).status_code == 404
    client.force_login(people["practitioner"])
    response = client.post(_url(organisation), {"addresses": "x@nhs.net", "role": "practitioner"})
    assert response.status_code == 404
    assert not Invitation.objects.filter(email="x@nhs.net").exists()
