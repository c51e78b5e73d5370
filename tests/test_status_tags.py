"""Status is easy to see: journal entries carry Draft / Shared / Signed off / Returned tags, an
entry waiting for sign-off has one status line and no "Share the summary", the sign-off queue
tells two summaries from one person apart, a decided version names who decided it, and a
confirmed supervision record shows no check-in section with nothing in it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reflection.signoff import services as signoff
from reflection.signoff.status import entry_tag

from .journal_factories import make_entry
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db


def _share(people, entry):
    return signoff.signoff_request_create(
        author=people["practitioner"], entry=entry, supervisor=people["supervisor"]
    )


def _tags(body: str) -> dict[str, str]:
    """Entry title -> the tag shown under it in the journal list ("" for none)."""
    out = {}
    for item in (
        body.split('<ul class="nhsuk-list hope-journal-list')[1].split("</ul>")[0].split("<li>")[1:]
    ):
        title = re.search(r"<a [^>]+>([^<]+)</a>", item).group(1)
        tag = re.search(r'class="nhsuk-tag[^"]*">([^<]+)<', item)
        out[title] = tag.group(1) if tag else ""
    return out


def test_the_journal_list_tags_each_entry(client, people):
    practitioner, supervisor = people["practitioner"], people["supervisor"]
    make_entry(practitioner, title="Private")
    make_entry(practitioner, title="Drafted", is_draft=True)
    _share(people, make_entry(practitioner, title="Waiting"))
    signoff.signoff_sign(
        supervisor=supervisor, request=_share(people, make_entry(practitioner, title="Signed"))
    )
    signoff.signoff_return(
        supervisor=supervisor,
        request=_share(people, make_entry(practitioner, title="Back")),
        comment="Say more about what you will do next time.",
    )
    client.force_login(practitioner)
    tags = _tags(client.get(reverse("journal_list")).content.decode())
    assert tags == {
        "Private": "",
        "Drafted": "Draft",
        "Waiting": "Shared",
        "Signed": "Signed off",
        "Back": "Returned",
    }


def test_entry_tags_come_from_one_place():
    assert entry_tag(is_draft=True, latest_status="signed_off").label == "Draft"
    assert entry_tag(is_draft=False, latest_status="reopened").label == "Shared"
    assert entry_tag(is_draft=False, latest_status=None) is None


def test_an_entry_waiting_for_sign_off_has_one_status_line_and_no_share_link(client, people):
    practitioner = people["practitioner"]
    entry = make_entry(practitioner)
    first = _share(people, entry)
    second = _share(people, entry)  # replaces the first
    client.force_login(practitioner)
    body = client.get(reverse("journal_detail", args=[entry.pk])).content.decode()
    section = body.split('id="sign-off"')[1].split("</div>")[0]
    assert section.count("Waiting for sign-off") == 1
    assert "Share the summary for sign-off" not in section
    assert f'href="{reverse("signoff_detail", args=[second.pk])}"' in section
    assert "Earlier versions" in section and "Replaced by a newer version" in section
    assert f'href="{reverse("signoff_detail", args=[first.pk])}"' in section

    signoff.signoff_return(
        supervisor=people["supervisor"], request=second, comment="Please add a next step."
    )
    body = client.get(reverse("journal_detail", args=[entry.pk])).content.decode()
    assert "Share the summary for sign-off" in body and "Returned" in body


def test_the_queue_tells_two_summaries_from_one_person_apart(client, people):
    _share(people, make_entry(people["practitioner"], summary="<p>Ask for help sooner.</p>"))
    _share(people, make_entry(people["practitioner"], summary="<p>Keep notes shorter.</p>"))
    client.force_login(people["supervisor"])
    body = client.get(reverse("signoff_queue")).content.decode()
    waiting = body.split("Waiting for your sign-off")[1].split("</ul>")[0]
    rows = waiting.split("<li>")[1:]
    assert len(rows) == 2
    assert "Ask for help sooner." in rows[0] and "Keep notes shorter." in rows[1]
    assert rows[0] != rows[1]
    text = re.sub(r"<[^>]+>", " ", waiting)
    assert not re.search(r"(^|\s)·(\s|$)", text.replace("\n", " ").strip()), text


def test_a_decided_version_names_who_decided(client, people):
    request = _share(people, make_entry(people["practitioner"]))
    signoff.signoff_sign(supervisor=people["supervisor"], request=request)
    client.force_login(people["practitioner"])
    body = client.get(reverse("signoff_detail", args=[request.pk])).content.decode()
    assert "Decided by" in body
    decided = body.split("Decided by")[1].split("</dd>")[0]
    assert str(people["supervisor"]) in decided
    client.force_login(people["supervisor"])
    body = client.get(reverse("signoff_detail", args=[request.pk])).content.decode()
    assert "You (" in body.split("Decided by")[1].split("</dd>")[0]


def test_a_confirmed_record_without_a_check_in_has_no_check_in_heading(client):
    rel = make_relationship()
    locked = make_session(rel, locked=True)
    open_one = make_session(rel)
    client.force_login(rel.supervisee)
    assert (
        "Your check-in"
        not in client.get(reverse("supervision_detail", args=[locked.pk])).content.decode()
    )
    body = client.get(reverse("supervision_detail", args=[open_one.pk])).content.decode()
    assert "Your check-in" in body and "Complete a check-in" in body
