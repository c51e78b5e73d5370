""" "This helped" marks and accepted answers: the rules, the database constraints, the pages
and what each costs as marks and replies grow."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from zeal import zeal_context

from community.answers import services
from community.models import Post, PostHelped, PostStatus, PreModeration
from community.threads import selectors as thread_selectors
from learning.models import AuditEvent, Notification

from .community_factories import facilitated_space, member, reply, thread
from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa():
    space, facilitator = facilitated_space(questions_and_answers=True)
    asker = member(space, UserFactory(display_name="Asha Asker")).user
    helper = member(space, UserFactory(display_name="Hal Helper")).user
    reader = member(space).user
    t = thread(space, asker, title="Who writes the birth plan?")
    answer = reply(t, helper, body="The midwife writes it with the woman.")
    return {
        "space": space,
        "facilitator": facilitator,
        "asker": asker,
        "helper": helper,
        "reader": reader,
        "thread": t,
        "answer": answer,
    }


def _thread_url(w) -> str:
    return reverse("community_thread", args=[w["space"].slug, w["thread"].pk])


# --- "This helped" --------------------------------------------------------------------------


def test_members_mark_a_reply_once_and_take_the_mark_back(qa):
    answer = qa["answer"]
    assert services.helped_set(user=qa["reader"], post=answer, helped=True) == 1
    assert services.helped_set(user=qa["reader"], post=answer, helped=True) == 1
    assert services.helped_set(user=qa["asker"], post=answer, helped=True) == 2
    assert services.helped_set(user=qa["reader"], post=answer, helped=False) == 1
    assert services.helped_set(user=qa["reader"], post=answer, helped=False) == 1
    assert list(PostHelped.objects.values_list("user", flat=True)) == [qa["asker"].pk]
    actions = list(AuditEvent.objects.filter(target_id=str(answer.pk)).values_list("action"))
    assert actions.count(("community.helped_marked",)) == 2
    assert actions.count(("community.helped_unmarked",)) == 1


def test_the_database_keeps_one_mark_per_person_per_reply(qa):
    PostHelped.objects.create(post=qa["answer"], user=qa["reader"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PostHelped.objects.create(post=qa["answer"], user=qa["reader"])


def test_nobody_marks_their_own_reply_the_opening_post_or_a_space_they_are_not_in(qa):
    opening = qa["thread"].posts.get(is_opening=True)
    outsider = UserFactory()
    for user, post in (
        (qa["helper"], qa["answer"]),
        (qa["reader"], opening),
        (outsider, qa["answer"]),
    ):
        with zeal_context(), pytest.raises(PermissionDenied):  # a request each
            services.helped_set(user=user, post=post, helped=True)
    assert not PostHelped.objects.exists()


def test_a_post_awaiting_review_cannot_be_marked():
    space, _facilitator = facilitated_space(premoderation=PreModeration.ALL)
    t = thread(space, _facilitator)
    pending = reply(t)
    assert pending.status == PostStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.helped_set(user=member(space).user, post=pending, helped=True)


def test_the_thread_page_shows_the_count_and_never_who(client, qa):
    for person in (qa["reader"], qa["asker"]):
        with zeal_context():
            services.helped_set(user=person, post=qa["answer"], helped=True)
    client.force_login(qa["facilitator"])
    body = client.get(_thread_url(qa)).content.decode()
    assert "This helped 2 people." in body
    assert "Asha Asker" in body  # as the thread's author, not as one who was helped
    assert body.count("Asha Asker") == 1
    client.force_login(qa["asker"])
    body = client.get(_thread_url(qa)).content.decode()
    assert 'aria-pressed="true"' in body
    assert '<input type="hidden" name="helped" value="no">' in body


def test_the_helped_form_works_without_javascript_and_with_it(client, qa):
    url = reverse("community_post_helped", args=[qa["space"].slug, qa["answer"].pk])
    client.force_login(qa["reader"])
    assert client.get(url).status_code == 405
    response = client.post(url, {"helped": "yes", "after": ""})
    assert response.status_code == 302
    assert response["Location"] == f"{_thread_url(qa)}#post-{qa['answer'].pk}"
    response = client.post(url, {"helped": "no"}, headers={"Accept": "application/json"})
    assert response.json() == {
        "helped": False,
        "count": 0,
        "count_text": "",
        "message": "You took back your mark that this reply helped you.",
    }
    response = client.post(url, {"helped": "yes"}, headers={"Accept": "application/json"})
    assert response.json()["count_text"] == "This helped 1 person."
    client.force_login(qa["helper"])  # their own reply
    assert client.post(url, {"helped": "yes"}).status_code == 404
    client.force_login(UserFactory())
    assert client.post(url, {"helped": "yes"}).status_code == 404


def test_marking_a_reply_costs_the_same_with_more_marks(client, django_assert_num_queries, qa):
    url = reverse("community_post_helped", args=[qa["space"].slug, qa["answer"].pk])
    client.force_login(qa["reader"])
    client.post(url, {"helped": "no"})  # warm the roles cache
    counts = []
    for more in (1, 10):
        PostHelped.objects.bulk_create(
            PostHelped(post=qa["answer"], user=member(qa["space"]).user) for _ in range(more)
        )
        with django_assert_num_queries(15) as captured:
            response = client.post(url, {"helped": "yes"}, headers={"Accept": "application/json"})
        counts.append(len(captured.captured_queries))
        assert response.status_code == 200
        client.post(url, {"helped": "no"})
    assert counts[0] == counts[1]


# --- Accepted answers -----------------------------------------------------------------------


def test_the_asker_marks_the_answer_and_its_author_is_told_without_content(qa):
    services.answer_set(actor=qa["asker"], thread=qa["thread"], post=qa["answer"])
    assert Post.objects.get(is_accepted=True) == qa["answer"]
    notice = Notification.objects.get(recipient=qa["helper"], kind="community.answer")
    assert "Who writes the birth plan?" in notice.message
    assert "midwife" not in notice.message
    assert notice.url.endswith(f"#post-{qa['answer'].pk}")
    assert AuditEvent.objects.filter(action="community.answer_marked").exists()


def test_a_facilitator_changes_the_answer_and_unmarks_it(qa):
    other = reply(qa["thread"], qa["reader"], body="Ask the community midwife.")
    services.answer_set(actor=qa["asker"], thread=qa["thread"], post=qa["answer"])
    services.answer_set(actor=qa["facilitator"], thread=qa["thread"], post=other)
    assert list(Post.objects.filter(is_accepted=True)) == [other]
    services.answer_set(actor=qa["facilitator"], thread=qa["thread"], post=None)
    assert not Post.objects.filter(is_accepted=True).exists()
    assert AuditEvent.objects.filter(action="community.answer_unmarked").exists()


def test_nobody_else_marks_an_answer_and_only_in_question_and_answer_spaces(qa):
    for person in (qa["reader"], qa["helper"], UserFactory()):
        with zeal_context(), pytest.raises(PermissionDenied):
            services.answer_set(actor=person, thread=qa["thread"], post=qa["answer"])
    opening = qa["thread"].posts.get(is_opening=True)
    with pytest.raises(PermissionDenied):
        services.answer_set(actor=qa["asker"], thread=qa["thread"], post=opening)
    space, facilitator = facilitated_space()
    asker = member(space).user
    t = thread(space, asker)
    plain = reply(t)
    for person in (asker, facilitator):
        with zeal_context(), pytest.raises(PermissionDenied):
            services.answer_set(actor=person, thread=t, post=plain)


def test_the_database_keeps_one_answer_per_thread_and_never_the_question(qa):
    other = reply(qa["thread"], qa["reader"])
    Post.objects.filter(pk=qa["answer"].pk).update(is_accepted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=other.pk).update(is_accepted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        qa["thread"].posts.filter(is_opening=True).update(is_accepted=True)


def test_the_answer_is_shown_under_the_question_with_a_link(client, qa):
    client.force_login(qa["asker"])
    url = reverse("community_post_accept", args=[qa["space"].slug, qa["answer"].pk])
    body = client.get(_thread_url(qa)).content.decode()
    assert "Mark as the answer" in body
    assert client.get(url).status_code == 405
    response = client.post(url, {"accept": "yes", "after": ""})
    assert response["Location"] == f"{_thread_url(qa)}#post-{qa['answer'].pk}"
    client.force_login(qa["reader"])
    body = client.get(_thread_url(qa)).content.decode()
    question = body.index("Who writes the birth plan?")
    box = body.index('id="answer-heading"')
    assert question < box < body.index(f'id="post-{qa["answer"].pk}"')
    assert "Marked as the answer. Written by Hal Helper" in body
    assert f'href="#post-{qa["answer"].pk}"' in body
    assert "Mark as the answer" not in body and "Unmark as the answer" not in body
    assert client.post(url, {"accept": "no"}).status_code == 404
    client.force_login(qa["facilitator"])
    body = client.get(_thread_url(qa)).content.decode()
    assert "Unmark as the answer" in body
    assert client.post(url, {"accept": "no"}).status_code == 302
    assert "answer-heading" not in client.get(_thread_url(qa)).content.decode()


def test_the_space_lists_answered_questions_with_a_tag(client, qa):
    """A question whose answer is marked shows "Answered" in the space's list; one without an
    answer, or whose answer is hidden, does not; a space that does not take questions and
    answers never shows it."""
    open_question = thread(qa["space"], qa["reader"], title="Is there a leaflet in Welsh?")
    services.answer_set(actor=qa["asker"], thread=qa["thread"], post=qa["answer"])
    client.force_login(qa["reader"])
    space_url = reverse("community_space", args=[qa["space"].slug])

    def tagged() -> list[str]:
        rows = client.get(space_url).content.decode().split("<li>")
        return [
            title
            for title in ("Who writes the birth plan?", open_question.title)
            for row in rows
            if f">{title}</a>" in row and ">Answered</strong>" in row
        ]

    assert tagged() == ["Who writes the birth plan?"]
    Post.objects.filter(pk=qa["answer"].pk).update(status=PostStatus.HIDDEN)
    assert tagged() == []
    Post.objects.filter(pk=qa["answer"].pk).update(status=PostStatus.PUBLISHED)
    qa["space"].questions_and_answers = False
    qa["space"].save(update_fields=["questions_and_answers"])
    assert tagged() == []


def test_an_answer_on_a_later_page_is_linked_to_its_page(client, qa):
    from community.threads.selectors import POSTS_PAGE_SIZE as PAGE_SIZE

    for _ in range(PAGE_SIZE):
        reply(qa["thread"], qa["reader"])
    late = reply(qa["thread"], qa["helper"], body="A late answer.")
    services.answer_set(actor=qa["asker"], thread=qa["thread"], post=late)
    client.force_login(qa["reader"])
    body = client.get(_thread_url(qa)).content.decode()
    assert f'id="post-{late.pk}"' not in body
    link = body.split('id="answer-heading"')[1].split('<a href="')[1].split('"')[0]
    assert link.startswith(f"{_thread_url(qa)}?after=") and link.endswith(f"#post-{late.pk}")
    target = client.get(link.split("#")[0]).content.decode()
    assert re.search(r'<article[^>]* id="post-(\d+)"', target).group(1) == str(late.pk)


def test_a_hidden_answer_is_not_shown(client, qa):
    services.answer_set(actor=qa["asker"], thread=qa["thread"], post=qa["answer"])
    Post.objects.filter(pk=qa["answer"].pk).update(status=PostStatus.HIDDEN)
    thread_row = thread_selectors.thread_for(
        qa["reader"], qa["space"], qa["thread"].pk, is_facilitator=False
    )
    assert thread_selectors.answer_of(thread_row) is None


@pytest.mark.parametrize("replies", [10, 100])
def test_the_thread_page_costs_the_same_with_marks_and_an_answer(
    client, django_assert_num_queries, qa, replies
):
    """Every reply has marks and one is the answer: the page reads them with the posts."""
    people = [member(qa["space"]).user for _ in range(3)]
    for _ in range(replies):
        post = reply(qa["thread"], qa["helper"])
        PostHelped.objects.bulk_create(PostHelped(post=post, user=u) for u in people)
    services.answer_set(actor=qa["asker"], thread=qa["thread"], post=qa["answer"])
    client.force_login(qa["reader"])
    client.get(_thread_url(qa))
    with django_assert_num_queries(3):
        body = client.get(_thread_url(qa)).content.decode()
    assert "This helped 3 people." in body and "answer-heading" in body


def test_the_rules_leave_out_suspended_members_and_threads_awaiting_review(qa):
    from datetime import timedelta

    from django.utils import timezone

    from learning import permissions

    space, thread_ = qa["space"], qa["thread"]
    thread_.space = space
    suspended = space.members.get(user=qa["reader"])
    suspended.suspended_until = timezone.now() + timedelta(days=2)
    suspended.save()
    assert not permissions.can_mark_helped(qa["reader"], space, suspended, qa["answer"])
    asker = space.members.get(user=qa["asker"])
    assert permissions.can_accept_answer(qa["asker"], thread_, asker)
    assert permissions.can_accept_answer(qa["facilitator"], thread_, None)
    thread_.status = PostStatus.PENDING
    assert not permissions.can_accept_answer(qa["asker"], thread_, asker)
    assert not permissions.can_accept_answer(qa["facilitator"], thread_, None)
    assert not permissions.can_accept_answer(None, thread_, None)


def test_the_answer_read_with_the_thread_is_the_reply_itself(qa):
    """The answer comes back from the thread's own query (one JSON object) with every field
    as the reply holds it: its moment in time, its text and who wrote it."""
    services.answer_set(actor=qa["asker"], thread=qa["thread"], post=qa["answer"])
    stored = Post.objects.select_related("author").get(pk=qa["answer"].pk)
    thread_row = thread_selectors.thread_for(
        qa["reader"], qa["space"], qa["thread"].pk, is_facilitator=False
    )
    answer = thread_selectors.answer_of(thread_row)
    assert answer is not None
    assert answer.pk == stored.pk
    assert answer.created_at == stored.created_at
    assert answer.created_at.utcoffset() is not None
    assert answer.body_html == stored.body_html
    assert answer.anonymous is stored.anonymous
    assert answer.author_id == stored.author_id
    assert answer.author.display_name == stored.author.display_name
    assert answer.author.email == stored.author.email
