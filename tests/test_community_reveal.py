"""Revealing an anonymous author takes two people: a facilitator of the space asks with a reason,
and a second facilitator of that space (never the one who asked) or the national coordinator
confirms or declines. Only then, and only to those two, is the author shown. Both steps are in
the moderation log and the audit; the deciders' notices clear when it is decided or lapses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community.models import ModerationAction, RevealRequest, RevealStatus
from community.moderation import selectors
from community.moderation.reveals import (
    reveal_action_key,
    reveal_decide,
    reveal_request,
    reveal_requests_lapse,
)
from community.tasks import reveal_requests_lapse as lapse_task
from learning import permissions
from learning.models import AuditEvent, Notification

from .community_factories import facilitated_space, member, thread
from .factories import UserFactory, add_to_group

pytestmark = pytest.mark.django_db

REASON = "A safeguarding concern about a child in this thread."


@pytest.fixture
def world():
    space, first = facilitated_space()
    second = UserFactory()
    space.facilitators.add(second)
    member(space, second)
    writer = member(space).user
    anonymous = thread(space, writer, anonymous=True, title="Worried about a placement")
    coordinator = add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
    _other_space, outsider = facilitated_space()
    return {
        "space": space,
        "first": first,
        "second": second,
        "writer": writer,
        "thread": anonymous,
        "coordinator": coordinator,
        "outsider": outsider,
    }


def test_one_facilitator_alone_never_sees_the_author(client, world):
    """Today's finding: one facilitator posts "reveal" and is shown the author at once."""
    client.force_login(world["first"])
    url = reverse("community_moderation_thread", args=[world["thread"].pk])
    response = client.post(url, {"action": "reveal", "reason": REASON}, follow=True)
    assert response.status_code == 200
    assert world["writer"].email.encode() not in response.content
    assert str(world["writer"]).encode() not in response.content
    request = RevealRequest.objects.get()
    assert request.status == RevealStatus.WAITING and request.requested_by == world["first"]
    assert not ModerationAction.objects.filter(kind="revealed").exists()
    # The one who asked cannot confirm their own request.
    with pytest.raises(PermissionDenied):
        reveal_decide(actor=world["first"], request=request, confirm=True)
    page = client.post(
        reverse("community_reveal_request", args=[request.pk]), {"decision": "confirm"}
    )
    assert page.status_code == 403 and world["writer"].email.encode() not in page.content


def test_request_is_audited_and_the_deciders_are_told(world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    entry = ModerationAction.objects.get(kind="reveal_requested")
    assert entry.actor == world["first"] and entry.reason == REASON
    audit = AuditEvent.objects.get(action="community.reveal_requested")
    assert audit.data["reveal_request_id"] == request.pk
    told = set(
        Notification.objects.filter(action_on=reveal_action_key(request)).values_list(
            "recipient_id", flat=True
        )
    )
    # The other facilitator and the national coordinator; not the asker, not another space's.
    assert told == {world["second"].pk, world["coordinator"].pk}
    notice = Notification.objects.get(recipient=world["second"])
    assert notice.url == reverse("community_reveal_request", args=[request.pk])
    assert str(world["writer"]) not in notice.message and REASON not in notice.message


def test_a_second_facilitator_confirms_and_only_the_two_see_the_author(client, world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    url = reverse("community_reveal_request", args=[request.pk])
    client.force_login(world["second"])
    page = client.get(url)
    assert page.status_code == 200 and REASON.encode() in page.content
    assert world["writer"].email.encode() not in page.content
    response = client.post(url, {"decision": "confirm"}, follow=True)
    assert world["writer"].email.encode() in response.content
    request.refresh_from_db()
    assert request.status == RevealStatus.CONFIRMED and request.decided_by == world["second"]
    revealed = ModerationAction.objects.get(kind="revealed")
    assert revealed.actor == world["second"]
    audit = AuditEvent.objects.get(action="community.revealed")
    assert audit.data["requested_by_id"] == world["first"].pk
    # The notices asking for a decision are done; the asker is told the outcome.
    assert not Notification.objects.filter(
        action_on=reveal_action_key(request), done_at=None
    ).exists()
    assert Notification.objects.filter(
        recipient=world["first"], kind="community.reveal_decided"
    ).exists()
    client.force_login(world["first"])
    assert world["writer"].email.encode() in client.get(url).content
    # The coordinator may read the request but did not decide it: no author for them.
    client.force_login(world["coordinator"])
    page = client.get(url)
    assert page.status_code == 200 and world["writer"].email.encode() not in page.content
    # Nor does the thread's moderation page show the author to anyone.
    client.force_login(world["second"])
    thread_page = client.get(reverse("community_moderation_thread", args=[world["thread"].pk]))
    assert world["writer"].email.encode() not in thread_page.content
    # The author's own view of what happened to their posts never shows reveals.
    assert not selectors.moderation_log_about_posts_of(world["writer"]).exists()


def test_the_national_coordinator_confirms(world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    reveal_decide(actor=world["coordinator"], request=request, confirm=True)
    request.refresh_from_db()
    assert permissions.can_see_revealed_author(world["coordinator"], request)
    assert permissions.can_see_revealed_author(world["first"], request)
    assert not permissions.can_see_revealed_author(world["second"], request)


def test_a_decline_shows_nobody_the_author_and_is_audited(client, world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    client.force_login(world["second"])
    url = reverse("community_reveal_request", args=[request.pk])
    response = client.post(url, {"decision": "decline"}, follow=True)
    assert world["writer"].email.encode() not in response.content
    request.refresh_from_db()
    assert request.status == RevealStatus.DECLINED
    assert AuditEvent.objects.filter(action="community.reveal_declined").count() == 1
    assert not permissions.can_see_revealed_author(world["first"], request)
    # Decided once: nobody decides it again.
    with pytest.raises(PermissionDenied):
        reveal_decide(actor=world["coordinator"], request=request, confirm=True)


def test_people_outside_the_space_cannot_see_or_decide(client, world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    url = reverse("community_reveal_request", args=[request.pk])
    for person in (world["outsider"], world["writer"], UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "confirm"}).status_code == 404
    with pytest.raises(PermissionDenied):
        reveal_decide(actor=world["outsider"], request=request, confirm=True)
    with pytest.raises(PermissionDenied):
        reveal_request(actor=world["outsider"], thread=world["thread"], reason=REASON)
    request.refresh_from_db()
    assert request.status == RevealStatus.WAITING


def test_a_request_needs_a_reason_and_only_one_waits(client, world):
    client.force_login(world["first"])
    url = reverse("community_moderation_thread", args=[world["thread"].pk])
    assert client.post(url, {"action": "reveal", "reason": ""}).status_code == 400
    assert not RevealRequest.objects.exists()
    reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    with pytest.raises(ValidationError):
        reveal_request(actor=world["second"], thread=world["thread"], reason=REASON)
    named = thread(world["space"], world["writer"], anonymous=False)
    with pytest.raises(ValidationError):
        reveal_request(actor=world["first"], thread=named, reason=REASON)


def test_a_request_lapses_after_seven_days(world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    RevealRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=8),
        expires_at=timezone.now() - timedelta(days=1),
    )
    request.refresh_from_db()
    assert not request.is_waiting and request.has_lapsed
    with pytest.raises(ValidationError):
        reveal_decide(actor=world["second"], request=request, confirm=True)
    request.refresh_from_db()
    assert request.status == RevealStatus.EXPIRED and request.decided_by is None
    assert not Notification.objects.filter(
        action_on=reveal_action_key(request), done_at=None
    ).exists()
    # A new request may then be made.
    again = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    assert again.is_waiting


def test_the_lapse_task_is_idempotent_and_scheduled(world, settings):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    RevealRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=8),
        expires_at=timezone.now() - timedelta(days=1),
    )
    assert lapse_task() == 1
    assert reveal_requests_lapse() == 0
    assert AuditEvent.objects.filter(action="community.reveal_lapsed").count() == 1
    assert not Notification.objects.filter(
        action_on=reveal_action_key(request), done_at=None
    ).exists()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "hope.community.reveal_requests_lapse" in tasks


def test_the_database_refuses_a_self_confirmed_request(world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    with pytest.raises(IntegrityError), transaction.atomic():
        RevealRequest.objects.filter(pk=request.pk).update(
            status=RevealStatus.CONFIRMED, decided_by=world["first"], decided_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RevealRequest.objects.create(
            thread=world["thread"], requested_by=world["second"], reason=REASON
        )


def test_reveal_page_query_counts(client, django_assert_num_queries, world):
    request = reveal_request(actor=world["first"], thread=world["thread"], reason=REASON)
    url = reverse("community_reveal_request", args=[request.pk])
    for person, queries in ((world["second"], 2), (world["coordinator"], 1)):
        client.force_login(person)
        client.get(url)  # warm the roles cache
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_anonymous_thread_moderation_page_query_count(client, django_assert_num_queries, world):
    url = reverse("community_moderation_thread", args=[world["thread"].pk])
    client.force_login(world["first"])
    client.get(url)
    # The thread, its latest reveal request and the space's facilitators.
    with django_assert_num_queries(3):
        page = client.get(url)
    assert b"Ask to reveal the author" in page.content
