"""A person's last visit to a thread: recorded when there is something new to have seen, not
on every reread, and what it marks "new" on the thread and in the space's list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Thread, ThreadVisit
from tests.community_factories import SpaceFactory, member, reply, thread

pytestmark = pytest.mark.django_db

NEW_THREAD = "New since your last visit"


@pytest.fixture
def conversation():
    space = SpaceFactory()
    reader = member(space).user
    writer = member(space).user
    started = thread(space, writer, title="Preparing a HOPE Box together")
    return space, reader, writer, started


def _thread_page(client, space, started):
    return client.get(reverse("community_thread", args=[space.slug, started.pk]))


def _space_page(client, space):
    return client.get(reverse("community_space", args=[space.slug])).content.decode()


def test_a_reread_of_a_quiet_thread_writes_nothing_and_a_new_reply_is_marked_once(
    client, conversation
):
    space, reader, writer, started = conversation
    client.force_login(reader)
    assert NEW_THREAD in _space_page(client, space)

    assert _thread_page(client, space, started).status_code == 200
    first = ThreadVisit.objects.get(thread=started, user=reader).seen_at
    assert NEW_THREAD not in _space_page(client, space)

    assert _thread_page(client, space, started).status_code == 200
    assert ThreadVisit.objects.get(thread=started, user=reader).seen_at == first

    # Someone replies: the thread is new in the list, the reply is marked on the next visit,
    # and that visit is recorded, so neither shows again.
    Thread.objects.filter(pk=started.pk).update(last_post_at=first)  # the opening post
    later = reply(started, writer, body="We use a memory box template from the unit.")
    assert later.created_at > first
    assert NEW_THREAD in _space_page(client, space)
    page = _thread_page(client, space, started).content.decode()
    assert page.count('nhsuk-tag--blue">New<') == 1
    moved = ThreadVisit.objects.get(thread=started, user=reader).seen_at
    assert moved > first
    assert NEW_THREAD not in _space_page(client, space)
    assert 'nhsuk-tag--blue">New<' not in _thread_page(client, space, started).content.decode()


def test_rereads_do_not_move_the_last_visit_past_what_was_not_yet_posted(client, conversation):
    """Rereads with nothing posted since leave the last visit where it was, so a reply that
    was awaiting review then and is published later is still after it; a new post moves it."""
    space, reader, _writer, started = conversation
    client.force_login(reader)
    _thread_page(client, space, started)
    visit = ThreadVisit.objects.get(thread=started, user=reader)
    earlier = visit.seen_at - timedelta(minutes=5)
    ThreadVisit.objects.filter(pk=visit.pk).update(seen_at=earlier)
    Thread.objects.filter(pk=started.pk).update(last_post_at=earlier - timedelta(minutes=1))
    _thread_page(client, space, started)  # a reread with nothing new since: nothing written
    assert ThreadVisit.objects.get(pk=visit.pk).seen_at == earlier
    Thread.objects.filter(pk=started.pk).update(last_post_at=timezone.now())
    _thread_page(client, space, started)
    assert ThreadVisit.objects.get(pk=visit.pk).seen_at > earlier
