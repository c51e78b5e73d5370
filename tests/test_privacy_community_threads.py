"""Erasing the person who started a thread keeps other people's replies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Post, Thread
from learning.privacy import services as privacy

from .community_factories import facilitated_space, member, reply, thread

pytestmark = pytest.mark.django_db


def test_threads_with_other_replies_stay_without_their_starter(
    client, django_capture_on_commit_callbacks
):
    space, _facilitator = facilitated_space()
    person = member(space).user
    other = member(space).user
    kept = thread(space, person, title="My name is in this title")
    kept_reply = reply(kept, other, body="A kind answer.")
    alone = thread(space, person, title="Nobody answered")
    theirs = thread(space, other, title="Another question")
    my_reply = reply(theirs, person, body="My reply.")

    with django_capture_on_commit_callbacks(execute=True):
        privacy.account_erasure_request(user=person)

    kept.refresh_from_db()
    assert kept.author_id is None and kept.title == "A thread started by a former member"
    assert list(Post.objects.filter(thread=kept)) == [kept_reply]
    assert not Thread.objects.filter(pk=alone.pk).exists()
    assert Thread.objects.filter(pk=theirs.pk).exists()
    assert not Post.objects.filter(pk=my_reply.pk).exists()
    # The kept thread still reads well for everyone else.
    client.force_login(other)
    page = client.get(reverse("community_thread", args=[space.slug, kept.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "A kind answer." in body and "My name is in this title" not in body
    listing = client.get(reverse("community_space", args=[space.slug])).content.decode()
    assert "A thread started by a former member" in listing
