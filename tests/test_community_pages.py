"""Every community page renders, with pinned query counts (exact). A space page and a thread
cost the same with 10 and with 1,000 replies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Post, PostStatus, PreModeration, SessionSignup, Thread

from .community_factories import facilitated_space, member, reply, session, thread
from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    space, facilitator = facilitated_space(premoderation=PreModeration.FIRST_POSTS)
    writer = member(space).user
    writer_member = space.members.get(user=writer)
    writer_member.approved_posts = 5
    writer_member.save()
    t = thread(space, writer, title="Preparing for court")
    newcomer = member(space).user
    pending = reply(t, newcomer, body="My first reply.")
    assert pending.status == PostStatus.PENDING
    return {
        "space": space,
        "facilitator": facilitator,
        "writer": writer,
        "newcomer": newcomer,
        "thread": t,
        "pending": pending,
    }


def _get(client, django_assert_num_queries, user, url, n, status=200):
    client.force_login(user)
    client.get(url)  # warm the roles cache and the visit row
    with django_assert_num_queries(n):
        response = client.get(url)
    assert response.status_code == status
    return response


PAGES = [
    # (name, who, url builder, queries)
    ("index", "writer", lambda w: reverse("community_index"), 1),
    ("my posts", "newcomer", lambda w: reverse("community_my_posts"), 1),
    ("space", "writer", lambda w: reverse("community_space", args=[w["space"].slug]), 2),
    ("guidelines", "writer", lambda w: reverse("community_guidelines", args=[w["space"].slug]), 1),
    ("members", "facilitator", lambda w: reverse("community_members", args=[w["space"].slug]), 2),
    ("new thread", "writer", lambda w: reverse("community_thread_new", args=[w["space"].slug]), 1),
    (
        "thread",
        "writer",
        lambda w: reverse("community_thread", args=[w["space"].slug, w["thread"].pk]),
        3,  # a reread: the visit is recorded when there is something new
    ),
    (
        "edit post",
        "newcomer",
        lambda w: reverse("community_post_edit", args=[w["space"].slug, w["pending"].pk]),
        2,
    ),
    (
        "report post",
        "newcomer",
        lambda w: reverse(
            "community_post_flag", args=[w["space"].slug, w["thread"].posts.first().pk]
        ),
        2,
    ),
    ("sessions", "writer", lambda w: reverse("community_sessions", args=[w["space"].slug]), 2),
    ("queue", "facilitator", lambda w: reverse("community_moderation"), 3),
    ("log", "facilitator", lambda w: reverse("community_moderation_log"), 2),
    (
        "moderate post",
        "facilitator",
        lambda w: reverse("community_moderation_post", args=[w["pending"].pk]),
        3,
    ),
    (
        "moderate thread",
        "facilitator",
        lambda w: reverse("community_moderation_thread", args=[w["thread"].pk]),
        1,
    ),
]


@pytest.mark.parametrize(("name", "who", "url", "queries"), PAGES, ids=[p[0] for p in PAGES])
def test_page_query_counts(client, django_assert_num_queries, world, name, who, url, queries):
    response = _get(client, django_assert_num_queries, world[who], url(world), queries)
    assert b"<h1" in response.content


def test_session_pages_query_counts(client, django_assert_num_queries, world):
    s = session(world["space"])
    url = reverse("community_session", args=[world["space"].slug, s.pk])
    response = _get(client, django_assert_num_queries, world["writer"], url, 3)
    assert s.title.encode() in response.content
    past = session(world["space"], starts_in_days=-1)
    SessionSignup.objects.create(session=past, user=world["writer"])
    url = reverse("community_session_attendance", args=[world["space"].slug, past.pk])
    response = _get(client, django_assert_num_queries, world["facilitator"], url, 3)
    assert str(world["writer"]).encode() in response.content


def _bulk_replies(t: Thread, author, n: int) -> None:
    start = timezone.now() - timedelta(days=1)
    Post.objects.bulk_create(
        Post(
            thread=t,
            author=author,
            body_html=f"<p>Reply {i}</p>",
            status=PostStatus.PUBLISHED,
            created_at=start + timedelta(seconds=i),
        )
        for i in range(n)
    )
    Thread.objects.filter(pk=t.pk).update(reply_count=n)


@pytest.mark.parametrize("n", [10, 1000])
def test_thread_and_space_cost_flat(client, django_assert_num_queries, world, n):
    _bulk_replies(world["thread"], world["writer"], n)
    for i in range(30):
        Thread.objects.create(
            space=world["space"],
            author=world["writer"],
            title=f"Thread {i}",
            status=PostStatus.PUBLISHED,
        )
    thread_url = reverse("community_thread", args=[world["space"].slug, world["thread"].pk])
    response = _get(client, django_assert_num_queries, world["writer"], thread_url, 3)
    assert b"Reply 0" in response.content
    assert (b"Next page" in response.content) == (n > 25)
    space_url = reverse("community_space", args=[world["space"].slug])
    response = _get(client, django_assert_num_queries, world["writer"], space_url, 2)
    assert b"Thread 29" in response.content and b"Next page" in response.content


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("community_space", args=[world["space"].slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_sees_no_pending_post(client, world):
    client.force_login(UserFactory())
    response = client.get(
        reverse("community_thread", args=[world["space"].slug, world["thread"].pk])
    )
    assert b"My first reply." not in response.content
