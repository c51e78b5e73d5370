"""The one posting rule (``permissions.post_decision`` and ``reply_decision``), asked by the
reply service, the thread view and, through the view's decision, the thread template: a
locked thread, slow mode and its wait, a suspended member, a non-member, a facilitator's
exemptions and the guidelines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from community.models import MembershipPolicy, PostStatus, SpaceMember
from community.moderation import services as moderation_services
from community.threads import services as thread_services
from learning import permissions
from learning.permission_types import Why

from .community_factories import SpaceFactory, facilitated_space, member, reply, thread
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _url(t) -> str:
    return reverse("community_thread", args=[t.space.slug, t.pk])


def _member(space, user) -> SpaceMember | None:
    return SpaceMember.objects.filter(space=space, user=user).first()


# --- the rule itself ---------------------------------------------------------------------------


def test_members_who_accepted_the_guidelines_may_post_and_reply():
    space = SpaceFactory()
    m = member(space)
    t = thread(space)
    assert permissions.post_decision(m.user, space, m).allowed
    decision = permissions.reply_decision(m.user, t, m)
    assert decision.allowed and decision.why is None and decision.reason == ""


def test_refusals_say_why():
    space = SpaceFactory()
    t = thread(space)
    outsider = UserFactory()
    decision = permissions.reply_decision(outsider, t, None)
    assert not decision.allowed and decision.may_join and decision.why == Why.NOT_MEMBER
    assert permissions.reply_decision(None, t, None).why == Why.NOT_MEMBER
    newcomer = member(space, accepted=False)
    decision = permissions.reply_decision(newcomer.user, t, newcomer)
    assert decision.needs_guidelines and not decision.may_write
    assert decision.reason == "Read and accept the space’s guidelines before you post."


def test_a_suspended_member_is_told_until_when():
    space = SpaceFactory()
    until = timezone.now() + timedelta(days=3)
    m = member(space, suspended_until=until)
    decision = permissions.post_decision(m.user, space, m)
    assert decision.why == Why.SUSPENDED and decision.wait_until == until
    assert decision.reason.startswith("You cannot post in this space until ")
    assert str(timezone.localtime(until).year) in decision.reason
    assert not permissions.can_take_part(m.user, space, m)


def test_a_locked_thread_refuses_members_but_not_facilitators():
    space, facilitator = facilitated_space()
    m = member(space)
    t = thread(space)
    t.locked = True
    assert t.is_locked
    decision = permissions.reply_decision(m.user, t, m)
    assert decision.why == Why.LOCKED and not decision.may_write
    exempt = permissions.reply_decision(facilitator, t, _member(space, facilitator))
    assert exempt.allowed and exempt.exempt_from == Why.LOCKED
    assert "because you facilitate this space" in exempt.note


def test_slow_mode_says_when_the_person_may_reply_again():
    space, facilitator = facilitated_space()
    m = member(space)
    t = thread(space)
    t.slow_mode_minutes = 10
    now = timezone.now()
    decision = permissions.reply_decision(m.user, t, m, last_reply_at=now, now=now)
    assert decision.why == Why.SLOW_MODE and decision.may_write and not decision.allowed
    assert decision.wait_until == now + timedelta(minutes=10)
    assert "You can reply again at" in decision.reason
    later = now + timedelta(minutes=11)
    assert permissions.reply_decision(m.user, t, m, last_reply_at=now, now=later).allowed
    assert permissions.reply_decision(m.user, t, m, last_reply_at=None).allowed
    exempt = permissions.reply_decision(
        facilitator, t, _member(space, facilitator), last_reply_at=now, now=now
    )
    assert exempt.allowed and exempt.exempt_from == Why.SLOW_MODE and exempt.note


def test_a_thread_awaiting_review_takes_no_replies_from_members():
    space, facilitator = facilitated_space()
    m = member(space)
    t = thread(space)
    t.status = PostStatus.PENDING
    assert permissions.reply_decision(m.user, t, m).why == Why.NOT_OPEN
    assert permissions.reply_decision(facilitator, t, _member(space, facilitator)).allowed


def test_facilitators_accept_the_guidelines_too():
    space = SpaceFactory()
    facilitator = UserFactory()
    space.facilitators.add(facilitator)
    assert permissions.post_decision(facilitator, space, None).needs_guidelines
    assert permissions.can_take_part(facilitator, space, None)


# --- through the reply service -----------------------------------------------------------------


def test_the_service_raises_the_rules_refusals():
    space, facilitator = facilitated_space()
    t = thread(space)
    writer = member(space).user
    moderation_services.thread_slow_mode_set(actor=facilitator, thread=t, minutes=10)
    reply(t, writer)
    with pytest.raises(thread_services.PostingError, match="You can reply again at"):
        reply(t, writer)
    assert reply(t, facilitator).status == PostStatus.PUBLISHED  # slow mode exemption
    suspended = member(space, suspended_until=timezone.now() + timedelta(days=1)).user
    with pytest.raises(thread_services.PostingError, match="You cannot post in this space"):
        reply(t, suspended)
    with pytest.raises(PermissionDenied):
        reply(t, UserFactory())
    moderation_services.thread_lock_set(actor=facilitator, thread=t, locked=True)
    with pytest.raises(thread_services.PostingError, match="This thread is locked"):
        reply(t)
    assert reply(t, facilitator).status == PostStatus.PUBLISHED  # locked exemption


# --- through the view and the rendered template -------------------------------------------------


def test_the_page_shows_a_locked_thread_without_a_reply_form(client):
    space, facilitator = facilitated_space()
    t = thread(space)
    moderation_services.thread_lock_set(actor=facilitator, thread=t, locked=True)
    client.force_login(member(space).user)
    page = client.get(_url(t)).content.decode()
    assert "This thread is locked, so no new replies can be added." in page
    assert "Post reply" not in page and "Quote in your reply" not in page
    response = client.post(_url(t), {"body": "Still here?"})
    assert response.status_code == 400
    assert "This thread is locked, so no new replies can be added." in response.content.decode()


def test_the_page_keeps_the_form_in_slow_mode_and_says_when(client):
    space, facilitator = facilitated_space()
    t = thread(space)
    moderation_services.thread_slow_mode_set(actor=facilitator, thread=t, minutes=10)
    writer = member(space).user
    first = reply(t, writer)
    client.force_login(writer)
    page = client.get(_url(t)).content.decode()
    again = timezone.localtime(first.created_at + timedelta(minutes=10)).strftime("%H:%M")
    assert f"You can reply again at {again}." in page
    assert "Post reply" in page
    response = client.post(_url(t), {"body": "A second thought."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A second thought." in html and f"You can reply again at {again}." in html


def test_the_page_tells_a_suspended_member_until_when(client):
    space = SpaceFactory()
    t = thread(space)
    client.force_login(member(space, suspended_until=timezone.now() + timedelta(days=2)).user)
    page = client.get(_url(t)).content.decode()
    assert "You cannot post in this space until" in page
    assert "Post reply" not in page and "Join this space to reply" not in page
    assert "Report" not in page


def test_non_members_of_a_closed_space_get_404(client):
    space = SpaceFactory(membership_policy=MembershipPolicy.INVITATION)
    t = thread(space)
    client.force_login(UserFactory())
    assert client.get(_url(t)).status_code == 404
    assert client.post(_url(t), {"body": "Hello"}).status_code == 404


def test_non_members_of_an_open_space_are_offered_to_join(client):
    space = SpaceFactory()
    t = thread(space)
    client.force_login(UserFactory())
    page = client.get(_url(t)).content.decode()
    assert "Join this space to reply" in page and "Post reply" not in page
    assert client.post(_url(t), {"body": "Hello"}).status_code == 404


def test_the_page_shows_a_facilitator_their_exemption(client):
    space, facilitator = facilitated_space()
    t = thread(space)
    moderation_services.thread_lock_set(actor=facilitator, thread=t, locked=True)
    client.force_login(facilitator)
    page = client.get(_url(t)).content.decode()
    assert "You can still reply because you facilitate this space." in page
    assert "Post reply" in page
    response = client.post(_url(t), {"body": "Locked, but a facilitator replies."})
    assert response.status_code == 302
