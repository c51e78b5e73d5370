"""Community search: only published posts in published threads of the spaces a person belongs
to, filters by space and author, keyset pages, safe highlighted snippets, and bad input that
never fails. SQLite matches words with icontains; the PostgreSQL test runs the full-text path
(ranking, the headline and the GIN index) when DATABASE_URL points at PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import MembershipPolicy, Post, PostStatus, PreModeration, SpaceMember
from community.moderation import services as moderation_services
from community.search import selectors
from community.search.views import PAGE_SIZE

from .community_factories import SpaceFactory, facilitated_space, member, reply, thread

pytestmark = pytest.mark.django_db

URL = reverse("community_search")


def _found(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _world():
    """A closed space the searcher belongs to, an open space they have not joined, and a
    closed space of other people, each with a post holding the word "lantern"."""
    mine, facilitator = facilitated_space(
        name="Perinatal team", membership_policy=MembershipPolicy.REQUEST
    )
    searcher = member(mine).user
    t = thread(mine, facilitator, title="Night shifts", body="Carry a lantern on night visits.")
    old = reply(t, body="A month ago: the lantern helped with the separation plan.")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    open_space = SpaceFactory(name="Open space")
    thread(open_space, title="Open thread", body="A lantern in the open space.")
    others = SpaceFactory(name="Other people", membership_policy=MembershipPolicy.INVITATION)
    thread(others, title="Other thread", body="A lantern someone else wrote about.")
    return mine, facilitator, searcher, t, old


def test_a_member_finds_a_month_old_reply_by_a_word_in_it(client):
    _mine, _facilitator, searcher, _t, old = _world()
    client.force_login(searcher)
    body = _found(client, q="separation")
    assert "Night shifts" in body
    assert "<mark>separation</mark>" in body
    assert f"#post-{old.pk}" in body
    # Only the spaces they belong to: not the open space they have not joined, not others'.
    body = _found(client, q="lantern")
    assert "Night shifts" in body
    assert "Open thread" not in body and "Other thread" not in body


def test_pending_hidden_and_rejected_posts_are_never_found(client):
    space, facilitator = facilitated_space(premoderation=PreModeration.FIRST_POSTS)
    space.premoderation_posts = 5
    space.save()
    newcomer = member(space).user
    published = thread(space, facilitator, title="Published thread", body="Lantern published.")
    pending = reply(published, newcomer, body="Lantern awaiting review.")
    assert pending.status == PostStatus.PENDING
    hidden = reply(published, facilitator, body="Lantern to be hidden.")
    moderation_services.post_hide(actor=facilitator, post=hidden, reason="Identifying.")
    pending_thread = thread(space, newcomer, title="Pending thread", body="Lantern thread.")
    assert pending_thread.status == PostStatus.PENDING
    # Neither the author nor the facilitator finds what is not published.
    for person in (newcomer, facilitator):
        client.force_login(person)
        body = _found(client, q="lantern")
        assert "</mark> published" in body
        assert "</mark> awaiting review" not in body
        assert "to be hidden" not in body
        assert "Pending thread" not in body


def test_a_reply_in_a_hidden_thread_is_not_found():
    space, facilitator = facilitated_space()
    t = thread(space, facilitator, body="Opening.")
    found = reply(t, body="Lantern reply.")
    reader = member(space).user
    assert list(selectors.search_posts(reader, text="lantern").posts) == [found]
    moderation_services.post_hide(
        actor=facilitator, post=t.posts.get(is_opening=True), reason="Off-topic."
    )
    assert list(selectors.search_posts(reader, text="lantern").posts) == []


def test_a_thread_is_found_by_its_title_through_its_opening_post_with_the_same_scoping(client):
    mine, facilitator, searcher, t, _old = _world()
    opening = t.posts.get(is_opening=True)
    # "shifts" is only in the title: the opening post is found, not the replies.
    assert list(selectors.search_posts(searcher, text="shifts").posts) == [opening]
    assert list(selectors.search_posts(searcher, text="night shifts").posts) == [opening]
    client.force_login(searcher)
    body = _found(client, q="shifts")
    assert "Night shifts" in body and f"#post-{opening.pk}" in body
    # Others' thread titles and the open space not joined stay out.
    assert list(selectors.search_posts(searcher, text="other thread").posts) == []
    assert list(selectors.search_posts(searcher, text="open thread").posts) == []
    # A thread awaiting review, or hidden, is never found by its title.
    mine.premoderation = PreModeration.FIRST_POSTS
    mine.premoderation_posts = 5
    mine.save()
    newcomer = member(mine).user
    pending = thread(mine, newcomer, title="Waiting pomegranate", body="Body.")
    assert pending.status == PostStatus.PENDING
    hidden = thread(mine, facilitator, title="Hidden pomegranate", body="Body.")
    moderation_services.post_hide(
        actor=facilitator, post=hidden.posts.get(is_opening=True), reason="Off-topic."
    )
    for person in (searcher, newcomer, facilitator):
        assert list(selectors.search_posts(person, text="pomegranate").posts) == []


def test_losing_membership_ends_search_in_that_space(client):
    mine, _facilitator, searcher, _t, _old = _world()
    SpaceMember.objects.filter(space=mine, user=searcher).delete()
    client.force_login(searcher)
    body = _found(client, q="lantern")
    assert "Night shifts" not in body
    assert "You do not belong to any spaces yet" in body


def test_filters_by_space_and_by_author_and_never_unmasks_an_anonymous_author(client):
    first, facilitator = facilitated_space(name="First space")
    second = SpaceFactory(name="Second space")
    searcher = member(first).user
    member(second, searcher)
    writer = member(first).user
    member(second, writer)
    thread(first, writer, title="Named in first", body="Lantern by the writer.")
    thread(second, writer, title="Named in second", body="Lantern by the writer again.")
    thread(
        first, writer, title="Asked anonymously", body="Lantern, a quiet question.", anonymous=True
    )
    thread(first, facilitator, title="By the facilitator", body="Lantern too.")
    client.force_login(searcher)
    body = _found(client, q="lantern", space=second.pk)
    assert "Named in second" in body and "Named in first" not in body
    body = _found(client, q="lantern", author=writer.pk)
    assert "Named in first" in body and "Named in second" in body
    assert "Asked anonymously" not in body and "By the facilitator" not in body
    assert f"Showing posts by {writer}" in body
    # The anonymous post's author is not offered as a filter either.
    body = _found(client, q="quiet")  # a word in no other post or title
    assert "Asked anonymously" in body and f"author={writer.pk}" not in body
    # Its author finds it when filtering on themselves.
    client.force_login(writer)
    assert "Asked anonymously" in _found(client, q="lantern", author=writer.pk)


def test_results_come_a_page_at_a_time(client):
    space, facilitator = facilitated_space()
    searcher = member(space).user
    t = thread(space, facilitator, body="Opening.")
    start = timezone.now() - timedelta(days=2)
    Post.objects.bulk_create(
        Post(
            thread=t,
            author=facilitator,
            body_html=f"<p>Lantern note {i}</p>",
            status=PostStatus.PUBLISHED,
            created_at=start + timedelta(minutes=i),
        )
        for i in range(PAGE_SIZE + 5)
    )
    client.force_login(searcher)
    response = client.get(URL, {"q": "lantern"})
    first = response.context["page"]
    assert len(first.items) == PAGE_SIZE and first.next_cursor
    rest = client.get(URL, {"q": "lantern", "after": first.next_cursor}).context["page"]
    assert len(rest.items) == 5 and rest.next_cursor is None
    assert not {p.pk for p in first.items} & {p.pk for p in rest.items}


def test_a_result_opens_the_thread_at_the_found_reply(client):
    space, facilitator = facilitated_space()
    searcher = member(space).user
    t = thread(space, facilitator, body="Opening.")
    start = timezone.now() - timedelta(days=3)
    Post.objects.bulk_create(
        Post(
            thread=t,
            author=facilitator,
            body_html=f"<p>Reply {i}{' with a lantern' if i == 40 else ''}</p>",
            status=PostStatus.PUBLISHED,
            created_at=start + timedelta(minutes=i),
        )
        for i in range(50)
    )
    client.force_login(searcher)
    post = client.get(URL, {"q": "lantern"}).context["page"].items[0]
    url = reverse("community_thread", args=[space.slug, t.pk])
    page = client.get(url, {"after": post.cursor}).context["page"]
    assert page.items[0].pk == post.pk


def test_snippets_are_escaped_before_the_highlight_is_added(client):
    space, facilitator = facilitated_space()
    searcher = member(space).user
    t = thread(space, facilitator, body="Lantern.")
    # As if the stored HTML were not clean: the snippet still shows none of it as markup.
    Post.objects.filter(thread=t).update(
        body_html='<p>Lantern <img src=x onerror="alert(1)"> &amp; &lt;b&gt;bold&lt;/b&gt;</p>'
    )
    client.force_login(searcher)
    snippet = str(client.get(URL, {"q": "lantern"}).context["page"].items[0].snippet)
    # PostgreSQL's headline ends at a word, SQLite's keeps the text to its end.
    assert snippet.startswith("<mark>Lantern</mark> &amp; &lt;b&gt;bold")
    assert "<img" not in snippet and "<b>" not in snippet
    # The highlight markers around text from the database never let its HTML through.
    html = selectors.snippet_html(
        f"{selectors.START}<script>x</script>{selectors.STOP} &lt;b&gt; {selectors.START}"
    )
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;" in html
    assert html.count("<mark>") == html.count("</mark>")


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"'},
        {"q": 'NEAR("a"'},
        {"q": "' OR 1=1 --"},
        {"q": "lantern", "space": "99999999999999999999"},
        {"q": "lantern", "author": "99999999999999999999"},
        {"q": "lantern", "author": "١٢٣"},
        {"q": "lantern", "after": "%%%not-a-cursor%%%"},
        {"q": "-"},
        {"q": "&<>"},
    ],
)
def test_odd_search_text_never_fails(client, params):
    _mine, _facilitator, searcher, _t, _old = _world()
    client.force_login(searcher)
    response = client.get(URL, params)
    assert response.status_code in (200, 400)


def test_too_long_text_and_an_unknown_space_are_explained(client):
    _mine, _facilitator, searcher, _t, _old = _world()
    other = SpaceFactory()
    client.force_login(searcher)
    response = client.get(URL, {"q": "x" * 100_000})
    assert response.status_code == 400
    assert "Enter 200 characters or fewer" in response.content.decode()
    response = client.get(URL, {"q": "lantern", "space": other.pk})
    assert response.status_code == 400
    assert "Choose one of your spaces" in response.content.decode()


def test_the_search_page_costs_the_same_with_more_posts(client):
    space, facilitator = facilitated_space()
    searcher = member(space).user
    t = thread(space, facilitator, body="Lantern opening.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"q": "lantern"}).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(searcher)
    queries()  # the first request of a session also reads what is then cached
    before = queries()
    for _ in range(3):
        writer = member(space).user
        reply(t, writer, body="Another lantern.")
    assert queries() == before


@pytest.mark.postgres
def test_full_text_search_ranks_highlights_and_uses_its_index(client):
    assert selectors.uses_full_text()
    space, facilitator = facilitated_space()
    searcher = member(space).user
    t = thread(space, facilitator, title="Plans", body="A separation plan written together.")
    reply(t, body="Lanterns, lanterns and more lanterns on night visits.")
    reply(t, body="One lantern.")
    reply(t, body="Nothing to see.")
    hidden = reply(t, body="A hidden lantern.")
    moderation_services.post_hide(actor=facilitator, post=hidden, reason="Identifying.")
    found = list(selectors.search_posts(searcher, text="lantern").posts)
    # Stemmed ("lanterns" matches), ranked (three mentions before one), hidden left out.
    assert [p.body_html for p in found] == [
        "<p>Lanterns, lanterns and more lanterns on night visits.</p>",
        "<p>One lantern.</p>",
    ]
    assert "<mark>Lanterns</mark>" in str(selectors.snippet_of(found[0], ["lantern"]))
    # Web search syntax is accepted: a phrase, and a word left out.
    assert len(list(selectors.search_posts(searcher, text='"separation plan"').posts)) == 1
    assert list(selectors.search_posts(searcher, text="lantern -night").posts) == [found[1]]
    for text in ('"', 'NEAR("a"', "&<>", "!!!", "the"):
        assert client.get(URL, {"q": text}).status_code in (200, 302, 400)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'community_post_search'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "to_tsvector('english'::regconfig" in definition
    # A thread's title finds its opening post, and a match there outranks one in a reply.
    titled = thread(space, facilitator, title="Lantern walks", body="Meet at six.")
    opening = titled.posts.get(is_opening=True)
    found = list(selectors.search_posts(searcher, text="lantern walks").posts)
    assert found == [opening]
    search = selectors.search_posts(searcher, text="lantern")
    bodies = [p.body_html for p in search.posts.order_by(*search.order)]
    assert len(bodies) == 3
    assert bodies.index("<p>Meet at six.</p>") < bodies.index("<p>One lantern.</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'community_thread_title_search'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "COALESCE(title" in definition
    client.force_login(searcher)
    body = client.get(URL, {"q": "lanterns"}).content.decode()
    assert "<mark>lantern</mark>" in body.lower() or "<mark>Lanterns</mark>" in body
