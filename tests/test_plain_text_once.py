"""Plain text is stored as the person wrote it and escaped once, on output.

The sanitiser's plain-text cleaner used to keep bleach's entities, so "Mother & baby" was stored
as "Mother &amp; baby" and every page showed the entity. These tests go through the one cleaner
and through real forms, services and templates, for the journal and the community."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from community.models import Thread
from learning.sanitise import sanitise_text
from reflection.models import JournalEntry

from .community_factories import facilitated_space, session, thread
from .journal_factories import make_entry

pytestmark = pytest.mark.django_db

TITLE = 'Mother & baby: "a plan" for Tom\'s team, 3 < 4'
SHOWN = "Mother &amp; baby: &quot;a plan&quot; for Tom&#x27;s team, 3 &lt; 4"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Mother & baby", "Mother & baby"),
        ("a < b and c > d", "a < b and c > d"),
        ("<b>bold</b> & <script>alert(1)</script>", "bold & alert(1)"),
        ('Tom\'s "plan"', 'Tom\'s "plan"'),
        ("&amp; typed as an entity", "& typed as an entity"),
    ],
)
def test_sanitise_text_keeps_plain_text_as_typed(typed, stored):
    assert sanitise_text(typed) == stored


def test_a_journal_title_is_stored_as_typed_and_escaped_once(client, people):
    author = people["practitioner"]
    client.force_login(author)
    response = client.post(
        reverse("journal_new"),
        {
            "model": "gibbs",
            "title": TITLE,
            "experienced_on": "2026-01-10",
            "section-description": "We met on the unit.",
            "summary": "Ask sooner.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = JournalEntry.objects.get(author=author)
    assert entry.title == TITLE
    html = client.get(response["Location"]).content.decode()
    assert SHOWN in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    listing = client.get(reverse("journal_list")).content.decode()
    assert "Mother &amp; baby" in listing and "&amp;amp;" not in listing


def test_an_existing_entry_edited_keeps_its_ampersand(client, people):
    author = people["practitioner"]
    entry = make_entry(author, title="Before")
    client.force_login(author)
    form = client.get(reverse("journal_edit", args=[entry.pk]))
    assert form.status_code == 200
    entry.title = sanitise_text("Mum & dad")
    entry.save(update_fields=["title"])
    page = client.get(reverse("journal_edit", args=[entry.pk])).content.decode()
    assert 'value="Mum &amp; dad"' in page and "&amp;amp;" not in page


def test_a_thread_title_is_stored_as_typed_and_shown_once(client):
    space, facilitator = facilitated_space()
    made = thread(space, facilitator, title="Mother & baby units")
    made.refresh_from_db()
    assert made.title == "Mother & baby units"
    client.force_login(facilitator)
    listing = client.get(reverse("community_space", args=[space.slug])).content.decode()
    assert "Mother &amp; baby units" in listing and "&amp;amp;" not in listing


def test_the_migrations_store_entities_written_earlier_as_typed(people):
    community_fix = importlib.import_module("community.migrations.0008_plain_text_unescaped")
    journal_fix = importlib.import_module("reflection.migrations.0009_plain_text_unescaped")
    space, facilitator = facilitated_space()
    made = thread(space, facilitator, title="Before")
    Thread.objects.filter(pk=made.pk).update(title="Mother &amp; baby")
    old = session(space, title="Q&amp;A", joining_details="Room 1 &amp; 2")
    entry = make_entry(people["practitioner"], title="Before")
    entry.title, entry.tags = "Mum &amp; dad", "court &amp; care"
    entry.save(update_fields=["title", "tags"])

    community_fix.unescape_stored(apps, None)
    journal_fix.unescape_stored(apps, None)

    assert Thread.objects.get(pk=made.pk).title == "Mother & baby"
    old.refresh_from_db()
    assert (old.title, old.joining_details) == ("Q&A", "Room 1 & 2")
    entry = JournalEntry.objects.get(pk=entry.pk)
    assert (entry.title, entry.tags) == ("Mum & dad", "court & care")
