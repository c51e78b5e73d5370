"""A list item's markup kept per process under the values it shows (learning/fragments.py), and
the thread page, whose replies are made that way: whatever differs between two readers or two
moments is in the values, so nobody gets markup made for someone else or for an older reply."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from community.answers import services as answer_services
from community.models import Post
from learning import fragments
from learning.cache import local_memo_clear

from .community_factories import facilitated_space, member, reply, thread
from .factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "community/_post.html"


def _values(**changes) -> dict:
    post = {
        "pk": 7,
        "status": "published",
        "shown_author": "Asha Asker",
        "created_at": datetime.datetime(2026, 12, 2, 14, 47, tzinfo=datetime.UTC),
        "edited": False,
        "is_new": False,
        "shows_answer": False,
        "quote_visible": False,
        "quote_author": "",
        "quote_body": "",
        "body_html": "<p>The midwife writes it with the woman.</p>",
        "status_reason": "",
        "can_mark_helped": True,
        "helped_text": "",
        "helped_url": "/community/s/helped/7/",
        "helped_by_me": False,
        "shows_accept_form": False,
        "can_unaccept": False,
        "accept_url": "/community/s/accept/7/",
        "can_quote": True,
        "edit_url": "",
        "flag_url": "/community/s/flag/7/",
        "moderate_url": "",
        **changes,
    }
    return {"post": post, "page_after": ""}


@pytest.fixture(autouse=True)
def _fresh_memo():
    local_memo_clear()
    yield
    local_memo_clear()


def test_the_same_values_give_the_same_markup_and_each_response_its_own_token():
    first = fragments.render_item(TEMPLATE, _values(), csrf_token="token-one")
    second = fragments.render_item(TEMPLATE, _values(), csrf_token="token-two")
    assert 'name="csrfmiddlewaretoken" value="token-one"' in first
    assert 'name="csrfmiddlewaretoken" value="token-two"' in second
    assert first.replace("token-one", "X") == second.replace("token-two", "X")
    assert fragments.CSRF_PLACEHOLDER not in first + second


def test_a_renderer_for_many_items_gives_what_render_item_gives():
    render_post = fragments.item_renderer(TEMPLATE, csrf_token="t")
    for change in ({}, {"edited": True}, {"pk": 8, "helped_by_me": True}):
        assert render_post(_values(**change)) == fragments.render_item(
            TEMPLATE, _values(**change), csrf_token="t"
        )


def test_a_value_that_is_not_plain_is_named_by_its_path():
    with pytest.raises(TypeError, match=r"^values\.post\.helped_url is a list;"):
        fragments.render_item(TEMPLATE, _values(helped_url=["/a/"]))


@pytest.mark.parametrize(
    ("change", "shows"),
    [
        ({"body_html": "<p>Edited text.</p>"}, "Edited text."),
        ({"edited": True}, "edited"),
        ({"is_new": True}, "nhsuk-tag--blue"),
        ({"helped_by_me": True}, 'aria-pressed="true"'),
        ({"edit_url": "/community/s/edit/7/"}, 'href="/community/s/edit/7/"'),
        ({"moderate_url": "/moderation/post/7/"}, 'href="/moderation/post/7/"'),
        ({"status": "hidden", "status_reason": "Names a baby."}, "Names a baby."),
    ],
)
def test_every_value_the_markup_shows_is_part_of_its_key(change, shows):
    before = fragments.render_item(TEMPLATE, _values(), csrf_token="t")
    after = fragments.render_item(TEMPLATE, _values(**change), csrf_token="t")
    assert shows not in before
    assert shows in after


def test_the_language_is_part_of_the_key():
    with translation.override("en-gb"):
        english = fragments.render_item(TEMPLATE, _values(can_quote=True), csrf_token="t")
    with translation.override("cy"):
        welsh = fragments.render_item(TEMPLATE, _values(can_quote=True), csrf_token="t")
    assert "Quote in your reply" in english
    assert "Quote in your reply" not in welsh


def test_only_plain_values_may_go_in():
    with pytest.raises(TypeError, match=r"values\.post\.shown_author is a User"):
        fragments.render_item(TEMPLATE, _values(shown_author=UserFactory.build()))


def test_user_text_is_escaped_and_sanitised_inside_the_item():
    html = fragments.render_item(
        TEMPLATE,
        _values(
            shown_author='<script>alert("name")</script>',
            body_html='<p>ok</p><img src=x onerror="alert(1)">',
        ),
        csrf_token="t",
    )
    assert "<script>" not in html and "onerror" not in html
    assert "&lt;script&gt;" in html


# --- the thread page ---------------------------------------------------------------------


def _thread_url(space, t) -> str:
    return reverse("community_thread", args=[space.slug, t.pk])


def _article(body: str, post: Post) -> str:
    return re.search(rf'<article[^>]* id="post-{post.pk}".*?</article>', body, re.S).group(0)


def test_two_readers_of_one_thread_each_get_their_own_reply_markup(client):
    space, facilitator = facilitated_space(questions_and_answers=True)
    author = member(space, UserFactory(display_name="Asha Asker")).user
    reader = member(space).user
    t = thread(space, author, title="Who writes the birth plan?")
    post = reply(t, author, body="The midwife writes it with the woman.")

    client.force_login(author)
    as_author = _article(client.get(_thread_url(space, t)).content.decode(), post)
    client.force_login(reader)
    as_reader = _article(client.get(_thread_url(space, t)).content.decode(), post)
    client.force_login(facilitator)
    as_facilitator = _article(client.get(_thread_url(space, t)).content.decode(), post)

    edit = reverse("community_post_edit", args=[space.slug, post.pk])
    moderate = reverse("community_moderation_post", args=[post.pk])
    assert edit in as_author and edit not in as_reader and edit not in as_facilitator
    assert moderate in as_facilitator and moderate not in as_reader
    for markup in (as_author, as_reader, as_facilitator):
        assert fragments.CSRF_PLACEHOLDER not in markup
    assert "This helped me" in as_reader


def test_a_reply_changed_since_the_last_visit_shows_as_it_is_now(client):
    space, _facilitator = facilitated_space(questions_and_answers=True)
    asker = member(space).user
    helper = member(space, UserFactory(display_name="Hal Helper")).user
    reader = member(space).user
    t = thread(space, asker)
    post = reply(t, helper, body="First version.")
    client.force_login(reader)
    before = _article(client.get(_thread_url(space, t)).content.decode(), post)
    assert "First version." in before and "This helped 1 person" not in before

    Post.objects.filter(pk=post.pk).update(
        body_html="<p>Second version.</p>", edited_at=post.created_at
    )
    answer_services.helped_set(user=asker, post=post, helped=True)
    answer_services.answer_set(actor=asker, thread=t, post=post)
    after = _article(client.get(_thread_url(space, t)).content.decode(), post)
    assert "Second version." in after and "First version." not in after
    assert "This helped 1 person" in after
    assert "nhsuk-tag--green" in after  # marked as the answer


def test_long_text_is_keyed_by_its_digest_and_still_tells_two_texts_apart():
    long_one = "<p>" + "a" * 400 + "</p>"
    long_two = "<p>" + "a" * 399 + "b</p>"
    first = fragments.render_item(TEMPLATE, _values(body_html=long_one), csrf_token="t")
    second = fragments.render_item(TEMPLATE, _values(body_html=long_two), csrf_token="t")
    assert "a" * 399 + "b" not in first
    assert "a" * 399 + "b" in second


@pytest.mark.parametrize("length", [20, 400])  # kept as it is, and by its digest
def test_text_and_text_marked_safe_are_kept_apart(length):
    from django.utils.safestring import mark_safe

    name = "<b>" + "n" * length + "</b>"
    escaped = fragments.render_item(TEMPLATE, _values(shown_author=name), csrf_token="t")
    raw = fragments.render_item(TEMPLATE, _values(shown_author=mark_safe(name)), csrf_token="t")  # noqa: S308
    assert "&lt;b&gt;" in escaped and "<b>" not in escaped
    assert "<b>" + "n" * length in raw


# --- the reply box -------------------------------------------------------------------------

REPLY = "community/_reply.html"


def _reply_values(**changes) -> dict:
    reply = {
        "may_write": True,
        "note": "",
        "allowed": True,
        "reason": "",
        "needs_guidelines": False,
        "may_join": False,
        **changes,
    }
    return {"reply": reply, "space_slug": "s", "thread_id": 7, "mentions_url": ""}


def _submission_token(html: str) -> str:
    return re.search(r'name="submission_token" value="([^"]*)"', html).group(1)


def test_an_empty_form_in_an_item_gets_new_tokens_on_every_response():
    from community.forms import ReplyForm

    first = fragments.render_item(REPLY, _reply_values(), csrf_token="c-1", empty_form=ReplyForm)
    second = fragments.render_item(REPLY, _reply_values(), csrf_token="c-2", empty_form=ReplyForm)
    tokens = _submission_token(first), _submission_token(second)
    assert len(set(tokens)) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", t) for t in tokens)
    assert fragments.SUBMISSION_PLACEHOLDER not in first + second
    assert fragments.CSRF_PLACEHOLDER not in first + second
    assert 'value="c-1"' in first and 'value="c-2"' in second
    same = first.replace(tokens[0], "T").replace("c-1", "C")
    assert same == second.replace(tokens[1], "T").replace("c-2", "C")
    # The form is made inside the render: empty, with its fields' own names.
    assert 'name="body"' in first and "</textarea>" in first


def _reply_box(body: str) -> str:
    found = re.search(
        r'<h2 class="nhsuk-heading-m" id="reply">.*?</form>|'
        r'<form[^>]*community/[^"]*/join/.*?</form>',
        body,
        re.S,
    )
    return found.group(0) if found else ""


def test_each_reader_gets_the_reply_box_their_own_rules_give(client):
    """One process serves a member, someone who has not accepted the guidelines, a
    non-member, and a facilitator of a locked thread, in turn: each gets their own box."""
    space, facilitator = facilitated_space()
    writer = member(space).user
    newcomer = member(space, accepted=False).user
    visitor = UserFactory()
    t = thread(space, writer)
    url = _thread_url(space, t)

    client.force_login(writer)
    first, second = (client.get(url).content.decode() for _ in range(2))
    assert 'name="body"' in _reply_box(first)
    assert _submission_token(first) != _submission_token(second)
    client.force_login(newcomer)
    body = client.get(url).content.decode()
    assert 'name="body"' not in body
    assert reverse("community_guidelines", args=[space.slug]) in body
    client.force_login(visitor)
    body = client.get(url).content.decode()
    assert 'name="body"' not in body and "Join this space to reply" in body

    type(t).objects.filter(pk=t.pk).update(locked=True)
    client.force_login(writer)
    body = client.get(url).content.decode()
    assert 'name="body"' not in body
    assert "This thread is locked, so no new replies can be added." in body
    client.force_login(facilitator)
    body = client.get(url).content.decode()
    assert 'name="body"' in body
    assert "You can still reply because you facilitate this space." in body


def test_a_chosen_quote_and_a_form_sent_back_are_shown_as_they_are(client):
    space, _facilitator = facilitated_space()
    writer = member(space).user
    t = thread(space, writer)
    post = reply(t, member(space).user, body="Worth quoting.")
    url = _thread_url(space, t)
    client.force_login(writer)
    body = client.get(url, {"quote": post.pk}).content.decode()
    assert f'name="quote" value="{post.pk}"' in body
    assert "Your reply will quote the post you chose." in body
    assert "Your reply will quote" not in client.get(url).content.decode()
    sent = client.post(url, {"body": ""})
    assert sent.status_code == 400
    assert "There is a problem" in sent.content.decode()


def test_each_reader_gets_the_head_of_the_thread_their_own_values_give(client):
    """The title and the follow, save and moderate actions are made once per process for
    their values: one reader's saving or following, or a facilitator's link, never shows for
    another, and a change to the thread shows at once."""
    from community.saved.services import thread_saved_set
    from community.threads.services import thread_follow_set

    space, facilitator = facilitated_space()
    keen, other = member(space).user, member(space).user
    t = thread(space, keen, title="Preparing for a pre-birth meeting")
    thread_saved_set(user=keen, thread=t, saved=True)
    thread_follow_set(user=keen, thread=t, follow=True)
    url = _thread_url(space, t)

    client.force_login(keen)
    body = client.get(url).content.decode()
    assert "Remove from saved threads" in body and "Stop following this thread" in body
    assert "Moderate this thread" not in body
    client.force_login(other)
    body = client.get(url).content.decode()
    assert "Save this thread" in body and "Follow this thread" in body
    assert "Remove from saved threads" not in body and "Stop following" not in body
    client.force_login(facilitator)
    body = client.get(url).content.decode()
    assert reverse("community_moderation_thread", args=[t.pk]) in body

    type(t).objects.filter(pk=t.pk).update(title="Renamed", slow_mode_minutes=5)
    client.force_login(other)
    body = client.get(url).content.decode()
    assert "<h1>Renamed</h1>" in body
    assert "Slow mode: each member can reply once every 5 minutes." in body
    assert fragments.CSRF_PLACEHOLDER not in body
