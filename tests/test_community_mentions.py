"""Mentions resolved to people when a post is written, their notices, and the suggestions a
post's text box asks for while someone types after @."""

from __future__ import annotations

import pytest
from django.urls import reverse
from zeal import zeal_context

from community.mentions.services import mentions_resolve
from community.models import MembershipPolicy, PostMention, PreModeration
from community.moderation import services as moderation_services
from community.threads import services as thread_services
from learning.guard import IdentifiersFound
from learning.models import Notification

from .community_factories import SpaceFactory, facilitated_space, member, reply, thread
from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    space, facilitator = facilitated_space()
    sam = member(space, UserFactory(display_name="Sam Practitioner")).user
    writer = member(space, UserFactory(display_name="Wren Writer")).user
    outsider = UserFactory(display_name="Olu Outsider")
    member(SpaceFactory(), outsider)
    t = thread(space, writer, title="Planning meetings")
    return {
        "space": space,
        "facilitator": facilitator,
        "sam": sam,
        "writer": writer,
        "outsider": outsider,
        "thread": t,
    }


def _mentioned(post) -> set[int]:
    return set(PostMention.objects.filter(post=post).values_list("user_id", flat=True))


def test_a_person_chosen_from_the_suggestions_is_stored_and_told(world):
    post = reply(
        world["thread"],
        world["writer"],
        body="@Sam Practitioner what did the SECRET panel say?",
        mentions=[world["sam"].pk],
    )
    assert _mentioned(post) == {world["sam"].pk}
    assert "@Sam Practitioner" in post.body_html  # the text keeps the name
    notice = Notification.objects.get(recipient=world["sam"])
    assert notice.kind == "community.mention"
    assert notice.message == "You were mentioned in “Planning meetings”."
    assert "SECRET" not in notice.message
    assert notice.url.endswith(f"#post-{post.pk}")


def test_without_javascript_a_typed_name_is_matched_when_the_post_is_saved(world):
    post = reply(world["thread"], world["writer"], body="Thanks @sam practitioner, agreed.")
    assert _mentioned(post) == {world["sam"].pk}


def test_who_was_mentioned_does_not_change_with_names_later(client, world):
    post = reply(world["thread"], world["writer"], body="Over to @Sam Practitioner.")
    world["sam"].display_name = "Samira Different"
    world["sam"].save()
    impostor = member(world["space"], UserFactory(display_name="Sam Practitioner")).user
    assert _mentioned(post) == {world["sam"].pk}
    assert not Notification.objects.filter(recipient=impostor).exists()


def test_two_members_with_one_name_are_told_apart_only_by_the_suggestions(world):
    twin = member(world["space"], UserFactory(display_name="Sam Practitioner")).user
    typed = reply(world["thread"], world["writer"], body="Hello @Sam Practitioner.")
    assert _mentioned(typed) == set()
    chosen = reply(
        world["thread"], world["writer"], body="Hello @Sam Practitioner.", mentions=[twin.pk]
    )
    assert _mentioned(chosen) == {twin.pk}


def test_nobody_outside_the_space_or_the_author_is_mentioned_or_told(world):
    body = "@Olu Outsider and @Wren Writer and @Sam Practitioner"
    post = reply(
        world["thread"],
        world["writer"],
        body=body,
        mentions=[world["outsider"].pk, world["writer"].pk, world["sam"].pk],
    )
    assert _mentioned(post) == {world["writer"].pk, world["sam"].pk}
    assert not Notification.objects.filter(recipient=world["outsider"]).exists()
    assert not Notification.objects.filter(
        recipient=world["writer"], kind="community.mention"
    ).exists()


def test_a_chosen_person_whose_name_was_deleted_from_the_text_is_not_mentioned(world):
    post = reply(world["thread"], world["writer"], body="No names now.", mentions=[world["sam"].pk])
    assert _mentioned(post) == set()


def test_a_name_is_not_matched_inside_a_longer_one(world):
    member(world["space"], UserFactory(display_name="Sam"))
    assert mentions_resolve(space=world["space"], body="@Samuel said so") == set()


def test_someone_who_left_the_space_before_it_was_approved_is_not_told():
    space, facilitator = facilitated_space(premoderation=PreModeration.ALL)
    sam = member(space, UserFactory(display_name="Sam Practitioner"))
    t = thread(space, facilitator)
    post = reply(t, body="Asking @Sam Practitioner.")
    assert _mentioned(post) == {sam.user.pk}
    assert not Notification.objects.filter(recipient=sam.user).exists()
    sam.delete()
    moderation_services.post_approve(actor=facilitator, post=post)
    assert not Notification.objects.filter(recipient=sam.user).exists()


def test_an_edit_tells_people_mentioned_for_the_first_time_once(world):
    post = reply(world["thread"], world["writer"], body="A reply.")
    with zeal_context():
        thread_services.post_edit(
            actor=world["writer"], post=post, body="A reply for @Sam Practitioner."
        )
    with zeal_context():
        thread_services.post_edit(
            actor=world["writer"], post=post, body="A reply for @Sam Practitioner, edited."
        )
    assert (
        Notification.objects.filter(recipient=world["sam"], kind="community.mention").count() == 1
    )
    with zeal_context():
        thread_services.post_edit(actor=world["writer"], post=post, body="No one now.")
    assert _mentioned(post) == set()


def test_the_identifier_guard_and_sanitiser_still_apply(world):
    with pytest.raises(IdentifiersFound):
        reply(
            world["thread"],
            world["writer"],
            body="@Sam Practitioner Baby Amelia Rose was born last week.",
            mentions=[world["sam"].pk],
        )
    post = reply(
        world["thread"],
        world["writer"],
        body="<script>alert(1)</script> @Sam Practitioner",
        mentions=[world["sam"].pk],
    )
    assert "<script" not in post.body_html
    assert _mentioned(post) == {world["sam"].pk}


def test_the_reply_form_sends_chosen_people(client, world):
    client.force_login(world["writer"])
    url = reverse("community_thread", args=[world["space"].slug, world["thread"].pk])
    page = client.get(url).content.decode()
    suggestions = reverse("community_mention_suggestions", args=[world["space"].slug])
    assert f'data-hope-mentions="{suggestions}"' in page
    assert "js/community.mjs" in page
    response = client.post(
        url, {"body": "Thank you @Sam Practitioner.", "mention": [str(world["sam"].pk), "x"]}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=world["sam"], kind="community.mention").exists()


# --- Suggestions ----------------------------------------------------------------------------


def _suggest(client, space, q):
    return client.get(reverse("community_mention_suggestions", args=[space.slug]), {"q": q})


def test_suggestions_list_members_of_the_space_by_name_only(client, world):
    member(world["space"], UserFactory(display_name="Priya Sampson"))
    member(world["space"], UserFactory(display_name="", email="nameless@example.nhs.uk"))
    client.force_login(world["writer"])
    results = _suggest(client, world["space"], "sam").json()["results"]
    assert [r["name"] for r in results] == ["Priya Sampson", "Sam Practitioner"]
    assert set(results[0]) == {"id", "name"}
    assert _suggest(client, world["space"], "olu").json()["results"] == []
    assert _suggest(client, world["space"], "wren").json()["results"] == []  # not themselves
    assert _suggest(client, world["space"], "").json()["results"] == []
    assert _suggest(client, world["space"], "nameless").json()["results"] == []


def test_suggestions_are_404_to_anyone_who_does_not_take_part(client, world):
    client.force_login(world["outsider"])  # may read the open space, but is not in it
    assert _suggest(client, world["space"], "sam").status_code == 404
    closed = SpaceFactory(membership_policy=MembershipPolicy.REQUEST)
    client.force_login(world["writer"])
    assert _suggest(client, closed, "sam").status_code == 404
    client.logout()
    assert _suggest(client, world["space"], "sam").status_code == 302


def test_suggestions_are_rate_limited(client, settings, world):
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "mention": "2/1m"}
    client.force_login(world["writer"])
    assert _suggest(client, world["space"], "sam").status_code == 200
    assert _suggest(client, world["space"], "sam").status_code == 200
    limited = _suggest(client, world["space"], "sam")
    assert limited.status_code == 429
    assert "You can still type the person's name after @." in limited.json()["message"]


def test_suggestions_cost_the_same_with_ten_times_the_members(
    client, django_assert_num_queries, world
):
    client.force_login(world["writer"])
    _suggest(client, world["space"], "sam")  # warm the roles cache
    added = 0
    for n in (10, 100):
        for i in range(added, n):
            member(world["space"], UserFactory(display_name=f"Sam Scale {i:03d}"))
        added = n
        with django_assert_num_queries(2):
            response = _suggest(client, world["space"], "sam")
        assert len(response.json()["results"]) == 8


MENTION_TEXTS = {
    "{name} mentioned.": "Crybwyllwyd {name}.",
    "No members of this space match.": "Does dim aelodau o'r gofod hwn yn cyfateb.",
    "1 suggestion. Press Enter to choose it, or Escape to close.": (
        "1 awgrym. Pwyswch Enter i'w ddewis, neu Escape i gau."
    ),
    "{n} suggestions. Use the up and down arrows, then Enter to choose.": (
        "{n} o awgrymiadau. Defnyddiwch y saethau i fyny ac i lawr, yna Enter i ddewis."
    ),
}


@pytest.fixture
def welsh_mention_texts():
    """The Welsh catalogue with the suggestion script's status messages in it (whatever the
    compiled catalogue holds), put back afterwards."""
    from django.utils.translation import trans_real

    first = trans_real.translation("cy")._catalog._catalogs[0]
    saved = {key: first[key] for key in MENTION_TEXTS if key in first}
    first.update(MENTION_TEXTS)
    yield
    for key in MENTION_TEXTS:
        if key in saved:
            first[key] = saved[key]
        else:
            first.pop(key, None)


def test_the_suggestion_script_reads_its_status_messages_from_the_page_in_welsh(
    client, settings, world, welsh_mention_texts
):
    from html import unescape

    client.force_login(world["sam"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    url = reverse("community_thread", args=[world["space"].slug, world["thread"].pk])
    body = unescape(client.get(url).content.decode())
    for attribute, welsh in (
        ("data-mentioned-text", MENTION_TEXTS["{name} mentioned."]),
        ("data-no-match-text", MENTION_TEXTS["No members of this space match."]),
        (
            "data-one-suggestion-text",
            MENTION_TEXTS["1 suggestion. Press Enter to choose it, or Escape to close."],
        ),
        (
            "data-suggestions-text",
            MENTION_TEXTS["{n} suggestions. Use the up and down arrows, then Enter to choose."],
        ),
    ):
        assert f'{attribute}="{welsh}"' in body
    assert "No members of this space match." not in body
