"""Saved threads: a person saves a thread (POST only, CSRF checked, saving twice keeps one row)
and the "Saved" page lists the saved threads they can still read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from community.models import MembershipPolicy, SavedThread, SpaceMember
from community.moderation import services as moderation_services
from community.saved import selectors as saved_selectors

from .community_factories import SpaceFactory, facilitated_space, member, thread

pytestmark = pytest.mark.django_db

SAVED = reverse("community_saved")


def _save_url(t) -> str:
    return reverse("community_thread_save", args=[t.space.slug, t.pk])


def test_saving_is_post_only_and_idempotent_and_removing_works(client):
    space, facilitator = facilitated_space()
    reader = member(space).user
    t = thread(space, facilitator, title="Separation plans")
    client.force_login(reader)
    assert client.get(_save_url(t)).status_code == 405
    for _ in range(2):
        response = client.post(_save_url(t), {"save": "yes"})
        assert response.status_code == 302
    assert SavedThread.objects.filter(user=reader, thread=t).count() == 1
    page = client.get(reverse("community_thread", args=[space.slug, t.pk])).content.decode()
    assert "Remove from saved threads" in page
    body = client.get(SAVED).content.decode()
    assert "Separation plans" in body
    response = client.post(_save_url(t), {"save": "no", "next": "saved"})
    assert response.status_code == 302 and response["Location"] == SAVED
    assert not SavedThread.objects.filter(user=reader).exists()
    assert client.post(_save_url(t), {"save": "no"}).status_code == 302
    assert (
        "Save this thread"
        in client.get(reverse("community_thread", args=[space.slug, t.pk])).content.decode()
    )


def test_saving_needs_the_csrf_token():
    space, facilitator = facilitated_space()
    reader = member(space).user
    t = thread(space, facilitator)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert strict.post(_save_url(t), {"save": "yes"}).status_code == 403
    assert not SavedThread.objects.exists()


def test_a_thread_in_a_space_you_cannot_read_cannot_be_saved(client):
    closed, facilitator = facilitated_space(membership_policy=MembershipPolicy.REQUEST)
    t = thread(closed, facilitator)
    outsider = member(SpaceFactory()).user
    client.force_login(outsider)
    assert client.post(_save_url(t), {"save": "yes"}).status_code == 404
    assert not SavedThread.objects.exists()


def test_saved_threads_go_when_membership_or_publication_does(client):
    closed, facilitator = facilitated_space(
        name="Closed space", membership_policy=MembershipPolicy.REQUEST
    )
    reader = member(closed).user
    kept = thread(closed, facilitator, title="Kept thread")
    hidden = thread(closed, facilitator, title="Hidden later")
    client.force_login(reader)
    for t in (kept, hidden):
        client.post(_save_url(t), {"save": "yes"})
    assert {s.thread for s in saved_selectors.saved_threads_of(reader)} == {kept, hidden}
    moderation_services.post_hide(
        actor=facilitator, post=hidden.posts.get(is_opening=True), reason="Identifying."
    )
    body = client.get(SAVED).content.decode()
    assert "Kept thread" in body and "Hidden later" not in body
    SpaceMember.objects.filter(space=closed, user=reader).delete()
    body = client.get(SAVED).content.decode()
    assert "Kept thread" not in body
    assert "You have not saved any threads" in body


def test_the_saved_page_costs_the_same_with_more_saved_threads(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    space, facilitator = facilitated_space()
    reader = member(space).user
    client.force_login(reader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(SAVED).status_code == 200
        return len(ctx.captured_queries)

    client.post(_save_url(thread(space, facilitator, title="First")), {"save": "yes"})
    queries()
    before = queries()
    for n in range(3):
        client.post(_save_url(thread(space, facilitator, title=f"More {n}")), {"save": "yes"})
    assert queries() == before
