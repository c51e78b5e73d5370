"""Autosave while editing a saved reflection keeps the changes aside: the saved reflection is
never overwritten or turned back into a draft until the person saves."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from reflection.models import JournalEntry

from .journal_factories import SENTINEL, make_entry

pytestmark = pytest.mark.django_db

CHANGED = "Changed my mind about the morning. QUOKKA-PENDING-4410"


def test_autosave_keeps_changes_aside_and_the_edit_page_offers_them_back(client, people):
    entry = make_entry(people["practitioner"])
    client.force_login(people["practitioner"])
    response = client.post(
        reverse("journal_autosave"),
        {"entry": entry.pk, "title": "A new title", "section-description": CHANGED},
    )
    assert response.status_code == 200
    result = response.json()
    assert result["saved"] is True and result["message"].startswith("Changes kept at ")
    entry.refresh_from_db()
    assert not entry.is_draft and entry.title == "A hard day in clinic"
    assert (
        SENTINEL in entry.sections["description"] and CHANGED not in entry.sections["description"]
    )
    # Kept encrypted in the session, never as plain text.
    assert CHANGED not in json.dumps(dict(client.session))

    detail = client.get(reverse("journal_detail", args=[entry.pk])).content.decode()
    assert CHANGED not in detail
    edit = client.get(reverse("journal_edit", args=[entry.pk])).content.decode()
    assert "Changes you have not saved" in edit
    assert CHANGED in edit and 'value="A new title"' in edit


def test_discarding_unsaved_changes_brings_back_the_saved_text(client, people):
    entry = make_entry(people["practitioner"])
    client.force_login(people["practitioner"])
    client.post(reverse("journal_autosave"), {"entry": entry.pk, "section-description": CHANGED})
    response = client.post(reverse("journal_edit", args=[entry.pk]), {"discard": "1"}, follow=True)
    body = response.content.decode()
    assert "Your unsaved changes are discarded." in body
    assert CHANGED not in body and "Changes you have not saved" not in body
    entry.refresh_from_db()
    assert not entry.is_draft and CHANGED not in entry.sections["description"]


def test_saving_the_reflection_uses_the_changes_and_forgets_the_kept_copy(client, people):
    entry = make_entry(people["practitioner"])
    client.force_login(people["practitioner"])
    client.post(reverse("journal_autosave"), {"entry": entry.pk, "section-description": CHANGED})
    response = client.post(
        reverse("journal_edit", args=[entry.pk]),
        {
            "title": "A hard day in clinic",
            "experienced_on": "2026-01-15",
            "section-description": CHANGED,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert CHANGED in entry.sections["description"] and not entry.is_draft
    edit = client.get(reverse("journal_edit", args=[entry.pk])).content.decode()
    assert "Changes you have not saved" not in edit


def test_kept_changes_are_only_ever_offered_to_their_author(client, people):
    entry = make_entry(people["practitioner"])
    client.force_login(people["practitioner"])
    client.post(reverse("journal_autosave"), {"entry": entry.pk, "section-description": CHANGED})
    client.force_login(people["supervisor"])
    assert client.get(reverse("journal_edit", args=[entry.pk])).status_code == 404
    assert JournalEntry.objects.get(pk=entry.pk).title == "A hard day in clinic"


def test_the_next_page_of_a_filtered_list_keeps_its_filters(client, people):
    from reflection.journal import views

    author = people["practitioner"]
    for n in range(views.PAGE_SIZE + 2):
        make_entry(author, title=f"Court {n}", tags="court")
    make_entry(author, title="Other", tags="grief")
    client.force_login(author)
    page = client.get(reverse("journal_list"), {"tag": "court", "model": "gibbs"}).content.decode()
    link = page.split('nhsuk-pagination__link--next" href="')[1].split('"')[0]
    assert "tag=court" in link and "model=gibbs" in link and "after=" in link
    second = client.get(reverse("journal_list") + link.replace("&amp;", "&")).content.decode()
    assert "Court 0" in second and "Other" not in second


def test_a_stale_edit_form_does_not_silently_overwrite(client, people):
    import re

    entry = make_entry(people["practitioner"])
    client.force_login(people["practitioner"])
    url = reverse("journal_edit", args=[entry.pk])
    page = client.get(url).content.decode()
    version = re.search(r'name="entry_version" value="(\d+)"', page).group(1)
    # Saved in another tab meanwhile.
    other = {
        "title": "Saved elsewhere",
        "experienced_on": "2026-01-15",
        "section-description": "From the other tab.",
        "entry_version": version,
    }
    assert client.post(url, other).status_code == 302
    mine = {
        "title": "My version",
        "experienced_on": "2026-01-15",
        "section-description": "What I typed here.",
        "entry_version": version,
    }
    response = client.post(url, mine)
    assert response.status_code == 409
    body = response.content.decode()
    assert "This reflection was changed somewhere else after you opened it" in body
    assert "What I typed here." in body and 'value="My version"' in body
    entry.refresh_from_db()
    assert entry.title == "Saved elsewhere"
    # Saving again, having seen the message, replaces the other version.
    fresh = re.search(r'name="entry_version" value="(\d+)"', body).group(1)
    assert client.post(url, {**mine, "entry_version": fresh}).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "My version"
