"""The safeguarding prompt on community posts: the same mechanism as the journal and
supervision records (the editable patterns, read through the core's one guard), shown before a
thread, a reply or an edit is posted, with the writer's organisations' routes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Post, Thread
from learning import guard
from learning.models import Membership, Role

from .community_factories import SpaceFactory, member, thread
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CONCERN = "I am worried she is not safe tonight\u2026 he would hurt her."
PROMPT = "If someone may be at risk now"
ROUTE = "Ring the council's safeguarding hub on 01234 000000."


@pytest.fixture
def writer():
    space = SpaceFactory()
    person = member(space).user
    organisation = OrganisationFactory(safeguarding_route=ROUTE)
    Membership.objects.create(user=person, organisation=organisation, role=Role.PRACTITIONER)
    return space, person


def test_the_prompt_comes_before_a_thread_is_posted(client, writer):
    space, person = writer
    client.force_login(person)
    url = reverse("community_thread_new", args=[space.slug])
    data = {"title": "A hard shift", "body": CONCERN}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Thread.objects.exists()
    assert PROMPT in html and "Your post is not sent yet" in html
    assert "A community post is not a way to report a concern" in html
    assert "Ring the council" in html and "safeguarding hub" in html
    assert "I am worried she is not safe tonight" in html  # the text is kept as typed
    assert 'name="safeguarding_seen"' in html
    response = client.post(url, {**data, "safeguarding_seen": "on"})
    assert response.status_code == 302
    assert Thread.objects.count() == 1


def test_the_title_counts_too_and_ordinary_writing_is_not_prompted(client, writer):
    space, person = writer
    client.force_login(person)
    url = reverse("community_thread_new", args=[space.slug])
    response = client.post(url, {"title": CONCERN, "body": "What would you do?"})
    assert response.status_code == 200 and PROMPT in response.content.decode()
    ordinary = {"title": "HOPE Boxes", "body": "How do you explain a HOPE Box to a new mum?"}
    assert client.post(url, ordinary).status_code == 302


def test_replies_and_edits_are_prompted_before_posting(client, writer):
    space, person = writer
    started = thread(space, person, body="A question about birth plans.")
    client.force_login(person)
    url = reverse("community_thread", args=[space.slug, started.pk])
    response = client.post(url, {"body": CONCERN})
    assert response.status_code == 200 and PROMPT in response.content.decode()
    assert Post.objects.count() == 1
    assert client.post(url, {"body": CONCERN, "safeguarding_seen": "on"}).status_code == 302
    assert Post.objects.count() == 2
    opening = Post.objects.order_by("pk").first()
    edit = reverse("community_post_edit", args=[space.slug, opening.pk])
    response = client.post(edit, {"body": CONCERN})
    assert response.status_code == 200 and PROMPT in response.content.decode()
    opening.refresh_from_db()
    assert "not safe" not in opening.body_html
    assert client.post(edit, {"body": CONCERN, "safeguarding_seen": "on"}).status_code == 302


def test_every_writing_form_reads_the_patterns_through_the_one_guard():
    """The patterns reach every app through the core's registry, so a prompt that works on the
    journal works on a post: one list, one matcher."""
    assert guard._PATTERN_SOURCES, "the app that keeps the patterns registers them"
    assert guard.safeguarding_routes(object(), "Nothing to worry about here.") is None
