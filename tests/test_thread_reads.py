"""What a space's and a thread's pages read of the people on them: their names on the thread,
nothing on the space's list of threads, never the rest of their row (the password's hash,
registration and revalidation details). The names still show, quoted replies included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.community_factories import SpaceFactory, member, reply, thread

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVATE_COLUMNS = ("password", "registration_number", "practice_hours", "employee_number")


def _community_reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if '"community_post"' in q["sql"] or '"community_thread"' in q["sql"]
    ]


def test_the_thread_and_space_pages_read_names_only(client):
    space = SpaceFactory()
    reader = member(space).user
    writer = member(space, UserFactory(display_name="Ffion Jones")).user
    quoted_writer = member(space, UserFactory(display_name="Sam Okoro")).user
    started = thread(space, writer, title="Preparing a HOPE Box together")
    first = reply(started, quoted_writer, body="A memory box template from the unit.")
    reply(started, writer, body="Thank you, that helps.", quote=first)
    client.force_login(reader)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("community_thread", args=[space.slug, started.pk]))
        listing = client.get(reverse("community_space", args=[space.slug]))
    assert page.status_code == listing.status_code == 200
    text = page.content.decode()
    assert text.count("Ffion Jones") >= 2 and text.count("Sam Okoro") >= 2  # quoted too
    assert "Preparing a HOPE Box together" in listing.content.decode()
    reads = _community_reads(queries)
    assert reads
    for sql in reads:
        for column in PRIVATE_COLUMNS:
            assert f'."{column}"' not in sql, (column, sql)


def test_a_quoted_post_shows_as_the_quoted_authors_choice_and_its_status_allow(client):
    """Names and quotes are made from the columns the page reads: an anonymous quoted post
    names nobody (but its author), a hidden one is not shown, and a person with no display
    name shows by their email, as ``str(user)`` does."""
    from community.models import Post, PostStatus

    space = SpaceFactory()
    reader = member(space).user
    shy = member(space, UserFactory(display_name="Priya Shah")).user
    plain = member(space, UserFactory(display_name="", email="no.name@example.test")).user
    started = thread(space, shy, title="Keeping a memory box", anonymous=True)
    unnamed = started.posts.get(is_opening=True)
    hidden = reply(started, shy, body="Later hidden.")
    reply(started, plain, body="Quoting the unnamed post.", quote=unnamed)
    reply(started, plain, body="Quoting the hidden post.", quote=hidden)
    Post.objects.filter(pk=hidden.pk).update(status=PostStatus.HIDDEN)
    url = reverse("community_thread", args=[space.slug, started.pk])

    client.force_login(reader)
    text = client.get(url).content.decode()
    assert "Priya Shah" not in text
    assert text.count("A member (posted without their name)") == 2  # the post and its quote
    assert "no.name@example.test" in text
    assert "Later hidden." not in text
    client.force_login(shy)
    text = client.get(url).content.decode()
    assert text.count("You (posted without your name)") >= 2
    assert "Later hidden." in text  # its author still sees their hidden post
