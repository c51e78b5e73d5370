"""Threads and replies: guidelines first, pre-moderation, the identifier guard, sanitising,
quoting, mentions and follower notifications, anonymous asking, edits, reports, visits."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community import selectors
from community.models import (
    FlagReason,
    ModerationAction,
    PostStatus,
    PreModeration,
    SpaceMember,
    ThreadFollow,
)
from community.moderation import services as moderation_services
from community.spaces import services as space_services
from community.threads import services as thread_services
from learning.guard import IdentifiersFound
from learning.models import AuditEvent, Notification

from .community_factories import SpaceFactory, facilitated_space, member, reply, thread
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_accepts_the_guidelines_before_a_first_post():
    space = SpaceFactory()
    newcomer = member(space, accepted=False).user
    with pytest.raises(thread_services.PostingError):
        thread(space, newcomer)
    space_services.guidelines_accept(user=newcomer, space=space)
    assert SpaceMember.objects.get(space=space, user=newcomer).guidelines_accepted_at
    assert AuditEvent.objects.filter(action="community.guidelines_accepted").count() == 1
    assert thread(space, newcomer).status == PostStatus.PUBLISHED


def test_non_members_cannot_post():
    space = SpaceFactory()
    with pytest.raises(PermissionDenied):
        thread(space, UserFactory())


def test_first_posts_wait_for_review_then_members_post_freely():
    space, facilitator = facilitated_space(premoderation=PreModeration.FIRST_POSTS)
    space.premoderation_posts = 1
    space.save()
    newcomer = member(space).user
    first = thread(space, newcomer)
    assert first.status == PostStatus.PENDING
    moderation_services.post_approve(actor=facilitator, post=first.posts.get())
    assert thread(space, newcomer, title="Second").status == PostStatus.PUBLISHED


def test_all_posts_pre_moderated_but_facilitators_are_not():
    space, facilitator = facilitated_space(premoderation=PreModeration.ALL)
    veteran = member(space, approved_posts=50).user
    assert thread(space, veteran).status == PostStatus.PENDING
    assert thread(space, facilitator).status == PostStatus.PUBLISHED


def test_pending_posts_are_invisible_to_everyone_but_author_and_facilitators():
    space, facilitator = facilitated_space(premoderation=PreModeration.FIRST_POSTS)
    writer = member(space, approved_posts=9).user
    t = thread(space, writer)
    newcomer = member(space).user
    pending = reply(t, newcomer, body="Waiting reply")
    peer = member(space).user
    t.refresh_from_db()
    assert t.reply_count == 0  # counts only published replies
    assert list(selectors.posts_visible_in(t, peer, is_facilitator=False)) == [t.posts.first()]
    assert pending in selectors.posts_visible_in(t, newcomer, is_facilitator=False)
    assert pending in selectors.posts_visible_in(t, facilitator, is_facilitator=True)
    pending_thread = thread(space, newcomer, title="New member thread")
    assert pending_thread not in selectors.threads_visible_in(space, peer, is_facilitator=False)
    assert pending_thread in selectors.threads_visible_in(space, newcomer, is_facilitator=False)
    # No notification for the followers while it waits.
    assert not Notification.objects.filter(recipient=writer).exists()


def test_identifier_guard_highlights_then_accepts_confirmation():
    space = SpaceFactory()
    writer = member(space).user
    body = "Her NHS number is 943 476 5919 and she lives at SW1A 1AA."
    with pytest.raises(IdentifiersFound) as exc:
        thread(space, writer, body=body)
    assert {m.kind for m in exc.value.found["body"]} == {"nhs_number", "postcode"}
    t = thread(space, writer, body=body, confirm_identifiers=True)
    assert t.posts.get().identifiers_confirmed


def test_identifier_guard_applies_to_replies_and_edits():
    space = SpaceFactory()
    t = thread(space)
    writer = member(space).user
    with pytest.raises(IdentifiersFound):
        reply(t, writer, body="Baby Amelia Rose was born last week.")
    post = reply(t, writer, body="A plain reply.")
    with pytest.raises(IdentifiersFound):
        thread_services.post_edit(actor=writer, post=post, body="Call 07700 900123")


def test_bodies_are_sanitised():
    space = SpaceFactory()
    t = thread(space, body='<p onclick="x()">Hi<script>alert(1)</script></p><h2>Big</h2>')
    html = t.posts.get().body_html
    assert "<script" not in html and "onclick" not in html and "<h2" not in html
    assert "Hi" in html


def test_quote_only_a_published_post_of_the_same_thread():
    space = SpaceFactory()
    t = thread(space)
    other = thread(space, title="Other")
    quoted = reply(t, quote=t.posts.get())
    assert quoted.quote_id == t.posts.get(is_opening=True).pk
    assert reply(t, quote=other.posts.get()).quote is None


def test_mentions_and_followers_are_notified_without_content():
    space = SpaceFactory()
    alex = member(space, UserFactory(display_name="Alex Keyworker")).user
    writer = member(space).user
    t = thread(space, writer, title="Court reports")
    reply(t, body="I wonder what @alex keyworker thinks about SECRET DETAIL.")
    mention = Notification.objects.get(recipient=alex)
    assert mention.kind == "community.mention" and "SECRET" not in mention.message
    follow = Notification.objects.get(recipient=writer)
    assert follow.kind == "community.reply" and "Court reports" in follow.message
    assert "SECRET" not in follow.message


def test_unfollowing_stops_reply_notifications():
    space = SpaceFactory()
    writer = member(space).user
    t = thread(space, writer)
    thread_services.thread_follow_set(user=writer, thread=t, follow=False)
    assert not ThreadFollow.objects.filter(thread=t, user=writer).exists()
    reply(t)
    assert not Notification.objects.filter(recipient=writer).exists()


def test_anonymous_thread_hides_the_name_from_peers(client):
    space = SpaceFactory()
    writer = member(space, UserFactory(display_name="Hidden Writer")).user
    t = thread(space, writer, anonymous=True)
    own_reply = reply(t, writer)
    assert own_reply.anonymous
    peer = member(space).user
    client.force_login(peer)
    response = client.get(reverse("community_thread", args=[space.slug, t.pk]))
    assert b"Hidden Writer" not in response.content
    assert b"posted without their name" in response.content


def test_locked_and_slow_threads_refuse_replies():
    space, facilitator = facilitated_space()
    t = thread(space)
    writer = member(space).user
    moderation_services.thread_slow_mode_set(actor=facilitator, thread=t, minutes=10)
    reply(t, writer)
    with pytest.raises(thread_services.PostingError):
        reply(t, writer)
    moderation_services.thread_lock_set(actor=facilitator, thread=t, locked=True)
    with pytest.raises(thread_services.PostingError):
        reply(t)
    assert reply(t, facilitator).status == PostStatus.PUBLISHED


def test_edit_keeps_history_for_facilitators():
    space = SpaceFactory()
    writer = member(space).user
    t = thread(space, writer, body="First words")
    post = t.posts.get()
    thread_services.post_edit(actor=writer, post=post, body="Better words")
    post.refresh_from_db()
    assert "Better words" in post.body_html and post.edited_at
    assert "First words" in post.revisions.get().body_html
    with pytest.raises(PermissionDenied):
        thread_services.post_edit(actor=member(space).user, post=post, body="Not mine")


def test_enough_reports_hide_a_post_pending_review():
    space, _facilitator = facilitated_space()
    space.flag_threshold = 2
    space.save()
    t = thread(space)
    post = t.posts.get()
    thread_services.flag_create(reporter=member(space).user, post=post, reason=FlagReason.UNKIND)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.open_flags == 1
    thread_services.flag_create(reporter=member(space).user, post=post, reason=FlagReason.OFF_TOPIC)
    post.refresh_from_db()
    t.refresh_from_db()
    assert post.status == PostStatus.HIDDEN and t.status == PostStatus.HIDDEN
    assert ModerationAction.objects.filter(kind="auto_hidden", post=post).exists()


def test_report_rules():
    space = SpaceFactory()
    writer = member(space).user
    post = thread(space, writer).posts.get()
    reporter = member(space).user
    with pytest.raises(PermissionDenied):
        thread_services.flag_create(reporter=writer, post=post, reason=FlagReason.UNKIND)
    with pytest.raises(ValidationError):
        thread_services.flag_create(reporter=reporter, post=post, reason=FlagReason.OTHER)
    thread_services.flag_create(reporter=reporter, post=post, reason=FlagReason.UNKIND)
    with pytest.raises(ValidationError):
        thread_services.flag_create(reporter=reporter, post=post, reason=FlagReason.UNKIND)


def test_new_since_last_visit(client):
    space = SpaceFactory()
    t = thread(space, title="Visited thread")
    reader = member(space).user
    client.force_login(reader)
    url = reverse("community_space", args=[space.slug])
    assert b"New since your last visit" in client.get(url).content
    client.get(reverse("community_thread", args=[space.slug, t.pk]))
    assert b"New since your last visit" not in client.get(url).content
    reply(t, body="Later reply")
    assert b"New since your last visit" in client.get(url).content


def test_reply_view_keeps_text_on_identifier_warning(client):
    space = SpaceFactory()
    t = thread(space)
    writer = member(space).user
    client.force_login(writer)
    url = reverse("community_thread", args=[space.slug, t.pk])
    response = client.post(url, {"body": "Ms Jane Smith asked me"})
    assert response.status_code == 400
    assert b"Ms Jane Smith asked me" in response.content
    assert b"hope-identifier" in response.content
    response = client.post(url, {"body": "Ms Jane Smith asked me", "confirm_identifiers": "on"})
    assert response.status_code == 302


def test_followers_hear_of_a_held_reply_only_once_it_is_approved():
    space, facilitator = facilitated_space(premoderation=PreModeration.FIRST_POSTS)
    writer = member(space, approved_posts=9).user
    t = thread(space, writer, title="Contact after separation")
    held = reply(t, member(space).user, body="My first reply")
    assert not Notification.objects.filter(recipient=writer).exists()
    moderation_services.post_approve(actor=facilitator, post=held)
    note = Notification.objects.get(recipient=writer)
    assert note.kind == "community.reply" and note.url.endswith(f"#post-{held.pk}")
    t.refresh_from_db()
    assert t.reply_count == 1


def test_quote_through_the_reply_form(client):
    space = SpaceFactory()
    t = thread(space, body="Worth quoting")
    opening = t.posts.get()
    writer = member(space).user
    client.force_login(writer)
    url = reverse("community_thread", args=[space.slug, t.pk])
    page = client.get(url, {"quote": opening.pk})
    assert f'value="{opening.pk}"'.encode() in page.content
    client.post(url, {"body": "I agree", "quote": opening.pk})
    quoted = t.posts.get(author=writer)
    assert quoted.quote == opening
    assert b"wrote:" in client.get(url).content


def test_no_replies_to_a_thread_that_is_not_published():
    space, facilitator = facilitated_space(premoderation=PreModeration.ALL)
    t = thread(space, member(space).user)
    with pytest.raises(thread_services.PostingError):
        reply(t, member(space, approved_posts=9).user)
    assert reply(t, facilitator).status == PostStatus.PUBLISHED


def test_a_stale_edit_form_does_not_silently_overwrite_a_newer_version(client):
    import re

    from community.threads.services import post_edit

    space, _facilitator = facilitated_space()
    opening = thread(space)
    post = opening.posts.order_by("pk").first()
    author = opening.author
    client.force_login(author)
    url = reverse("community_post_edit", args=[space.slug, post.pk])
    page = client.get(url).content.decode()
    version = re.search(r'name="post_version" value="(\d+)"', page).group(1)
    post_edit(actor=author, post=post, body="Changed in another tab.")  # meanwhile
    response = client.post(url, {"body": "My careful words.", "post_version": version})
    assert response.status_code == 409
    body = response.content.decode()
    assert "This post was changed after you opened it" in body
    assert "My careful words." in body
    post.refresh_from_db()
    assert "Changed in another tab." in post.body_html
    fresh = re.search(r'name="post_version" value="(\d+)"', body).group(1)
    assert client.post(url, {"body": "My careful words.", "post_version": fresh}).status_code == 302
    post.refresh_from_db()
    assert "My careful words." in post.body_html
