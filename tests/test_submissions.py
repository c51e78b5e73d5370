"""A double-click (the same form sent twice) creates one thing, and the second request lands
where the first did."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from community.models import Post, Thread
from reflection.models import JournalEntry, SignOffRequest

from .community_factories import facilitated_space, member, thread
from .journal_factories import make_entry

pytestmark = pytest.mark.django_db

GIBBS = {
    "model": "gibbs",
    "title": "After the hearing",
    "experienced_on_day": "10",
    "experienced_on_month": "1",
    "experienced_on_year": "2026",
    "section-description": "We met after the hearing.",
}


def token_from(html: str) -> str:
    return re.search(r'name="submission_token" value="([0-9a-f]{32})"', html).group(1)


def test_a_reflection_sent_twice_is_saved_once(client, people):
    client.force_login(people["practitioner"])
    url = reverse("journal_new") + "?model=gibbs"
    token = token_from(client.get(url).content.decode())
    first = client.post(url, {**GIBBS, "submission_token": token})
    second = client.post(url, {**GIBBS, "submission_token": token}, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "That was already sent, so it was not sent again." in second.content.decode()
    assert JournalEntry.objects.count() == 1
    # A new form has a new token, so writing another reflection works.
    token2 = token_from(client.get(url).content.decode())
    assert token2 != token
    client.post(url, {**GIBBS, "submission_token": token2})
    assert JournalEntry.objects.count() == 2


def test_a_form_with_errors_can_be_sent_again_with_its_token(client, people):
    client.force_login(people["practitioner"])
    url = reverse("journal_new") + "?model=gibbs"
    token = token_from(client.get(url).content.decode())
    bad = client.post(url, {**GIBBS, "title": "", "submission_token": token})
    assert bad.status_code == 400
    good = client.post(url, {**GIBBS, "submission_token": token})
    assert good.status_code == 302 and JournalEntry.objects.count() == 1


def test_sharing_twice_makes_one_request(client, people):
    entry = make_entry(people["practitioner"])
    client.force_login(people["practitioner"])
    url = reverse("journal_share", args=[entry.pk])
    token = token_from(client.get(url).content.decode())
    data = {"supervisor": people["supervisor"].pk, "note": "", "submission_token": token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert SignOffRequest.objects.count() == 1


def test_threads_and_replies_sent_twice_are_posted_once(client):
    space, _facilitator = facilitated_space()
    author = member(space).user
    client.force_login(author)
    url = reverse("community_thread_new", args=[space.slug])
    token = token_from(client.get(url).content.decode())
    data = {"title": "A question", "body": "Some words.", "submission_token": token}
    client.post(url, data)
    client.post(url, data)
    assert Thread.objects.filter(space=space).count() == 1

    existing = thread(space)
    url = reverse("community_thread", args=[space.slug, existing.pk])
    token = token_from(client.get(url).content.decode())
    client.post(url, {"body": "A reply.", "submission_token": token})
    client.post(url, {"body": "A reply.", "submission_token": token})
    assert Post.objects.filter(thread=existing).count() == 2  # opening post and one reply
