"""What deleting a journal entry keeps: the confirmation page lists exactly the shared versions
the delete leaves behind (``kept_after_entry_delete``), whatever state they are in."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from reflection.journal import services
from reflection.models import JournalEntry, SignOffRequest
from reflection.signoff import services as signoff_services
from reflection.signoff.selectors import kept_after_entry_delete

from .journal_factories import make_entry

pytestmark = pytest.mark.django_db


def _share(people, entry: JournalEntry, summary: str) -> SignOffRequest:
    services.journal_entry_update(
        actor=entry.author,
        entry=entry,
        title="A hard day in clinic",
        experienced_on=date(2026, 1, 15),
        model="rolfe",
        sections={"what": "What happened."},
        summary=summary,
    )
    return signoff_services.signoff_request_create(
        author=entry.author, entry=entry, supervisor=people["supervisor"], note=""
    )


def _sign(people, request: SignOffRequest) -> None:
    signoff_services.signoff_sign(supervisor=people["supervisor"], request=request, comment="")


def _reopen(people, request: SignOffRequest) -> None:
    _sign(people, request)
    signoff_services.signoff_reopen(
        supervisor=people["supervisor"], request=request, reason="I signed the wrong one."
    )


def never_shared(people, entry) -> None:
    return None


def one_share_pending(people, entry) -> None:
    _share(people, entry, "First thoughts.")


def signed_off(people, entry) -> None:
    _sign(people, _share(people, entry, "First thoughts."))


def reopened(people, entry) -> None:
    _reopen(people, _share(people, entry, "First thoughts."))


def every_state(people, entry) -> None:
    """Version 1 reopened, version 2 signed off, version 3 returned, version 4 pending."""
    _reopen(people, _share(people, entry, "First thoughts."))
    _sign(people, _share(people, entry, "Second thoughts."))
    returned = _share(people, entry, "Third thoughts.")
    signoff_services.signoff_return(
        supervisor=people["supervisor"], request=returned, comment="Say more."
    )
    _share(people, entry, "Fourth thoughts.")


@pytest.mark.parametrize(
    ("arrange", "kept_count"),
    [(never_shared, 0), (one_share_pending, 0), (signed_off, 1), (reopened, 1), (every_state, 2)],
)
def test_the_page_lists_exactly_what_the_delete_keeps(client, people, arrange, kept_count):
    author = people["practitioner"]
    entry = make_entry(author)
    arrange(people, entry)
    shared = set(SignOffRequest.objects.filter(entry=entry).values_list("pk", flat=True))
    client.force_login(author)
    url = reverse("journal_delete", args=[entry.pk])

    page = client.get(url).content.decode()
    listed = {int(pk) for pk in re.findall(r'data-request="(\d+)"', page)}
    assert listed == {r.pk for r in kept_after_entry_delete(entry)}
    assert len(listed) == kept_count
    assert ("Nothing else is kept." in page) == bool(listed)

    assert client.post(url).status_code == 302
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    still_there = set(SignOffRequest.objects.filter(pk__in=shared).values_list("pk", flat=True))
    assert still_there == listed


def test_the_page_says_which_kept_version_is_signed_off_and_which_reopened(client, people):
    entry = make_entry(people["practitioner"])
    every_state(people, entry)
    client.force_login(people["practitioner"])
    page = client.get(reverse("journal_delete", args=[entry.pk])).content.decode()
    assert "Version 1, signed off and then reopened." in page
    assert "Version 2, signed off on" in page
    assert "Version 3" not in page and "Version 4" not in page
