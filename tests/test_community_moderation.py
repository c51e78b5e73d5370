"""Moderation: the queue, approve, reject, hide, restore, edit with a reason, reports, escalation,
locks, slow mode, suspension; the log, the audit and what the author is told. A
facilitator of one space cannot moderate another."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community.models import Flag, FlagReason, ModerationAction, PostStatus, PreModeration
from community.moderation import selectors
from community.moderation import services as moderation_services
from community.selectors import spaces_listed_for
from community.spaces import services as space_services
from community.threads import services as thread_services
from learning.models import AuditEvent, Membership, Notification, Role

from .community_factories import facilitated_space, member, thread
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    space, facilitator = facilitated_space(premoderation=PreModeration.FIRST_POSTS)
    newcomer = member(space).user
    t = thread(space, newcomer, title="A first question")
    return space, facilitator, newcomer, t.posts.get()


def test_queue_shows_pending_and_reported_posts_oldest_first(queue):
    space, facilitator, _newcomer, pending = queue
    later = thread(space, member(space).user, title="Later").posts.get()
    veteran = member(space, approved_posts=9).user
    published = thread(space, veteran, title="Reported").posts.get()
    thread_services.flag_create(
        reporter=member(space).user, post=published, reason=FlagReason.UNKIND
    )
    pending_rows = list(
        selectors.moderation_pending_posts(facilitator).order_by("created_at", "pk")
    )
    assert pending_rows == [pending, later]
    assert list(selectors.moderation_flagged_posts(facilitator)) == [published]


def test_facilitators_of_one_space_cannot_moderate_another(queue):
    _space, facilitator, _newcomer, pending = queue
    other_space, other_facilitator = facilitated_space(premoderation=PreModeration.ALL)
    other_pending = thread(other_space, member(other_space).user).posts.get()
    assert other_pending not in selectors.moderation_pending_posts(facilitator)
    with pytest.raises(PermissionDenied):
        moderation_services.post_approve(actor=facilitator, post=other_pending)
    with pytest.raises(PermissionDenied):
        moderation_services.post_approve(actor=other_facilitator, post=pending)
    assert selectors.moderation_post_for(facilitator, other_pending.pk) is None


def test_approve_publishes_logs_audits_and_tells_the_author(queue):
    space, facilitator, newcomer, pending = queue
    moderation_services.post_approve(actor=facilitator, post=pending)
    pending.refresh_from_db()
    assert pending.status == PostStatus.PUBLISHED and pending.thread.status == PostStatus.PUBLISHED
    entry = ModerationAction.objects.get(kind="approved")
    assert entry.actor == facilitator and entry.post == pending and entry.space == space
    assert AuditEvent.objects.filter(action="community.approved", actor=facilitator).exists()
    note = Notification.objects.get(recipient=newcomer)
    assert note.kind == "community.approved" and "A first question" in note.message


def test_reject_needs_a_reason_that_the_author_sees(queue, client):
    _space, facilitator, newcomer, pending = queue
    with pytest.raises(ValidationError):
        moderation_services.post_reject(actor=facilitator, post=pending, reason="  ")
    moderation_services.post_reject(
        actor=facilitator, post=pending, reason="Please remove the town name."
    )
    pending.refresh_from_db()
    assert pending.status == PostStatus.REJECTED
    assert Notification.objects.get(recipient=newcomer).kind == "community.rejected"
    assert "town name" not in Notification.objects.get(recipient=newcomer).message
    client.force_login(newcomer)
    page = client.get(reverse("community_my_posts"))
    assert b"Please remove the town name." in page.content and b"Not published" in page.content


def test_hide_and_restore(queue):
    _space, facilitator, _newcomer, pending = queue
    moderation_services.post_approve(actor=facilitator, post=pending)
    moderation_services.post_hide(actor=facilitator, post=pending, reason="Off-topic.")
    pending.refresh_from_db()
    assert pending.status == PostStatus.HIDDEN and pending.status_reason == "Off-topic."
    moderation_services.post_restore(actor=facilitator, post=pending)
    pending.refresh_from_db()
    assert pending.status == PostStatus.PUBLISHED
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["approved", "hidden", "restored"]


def test_moderator_edit_keeps_a_revision_and_tells_the_author(queue):
    _space, facilitator, newcomer, pending = queue
    moderation_services.post_moderator_edit(
        actor=facilitator, post=pending, body="Edited text", reason="Removed a place name."
    )
    pending.refresh_from_db()
    assert "Edited text" in pending.body_html
    revision = pending.revisions.get()
    assert revision.reason == "Removed a place name." and revision.edited_by == facilitator
    assert Notification.objects.get(recipient=newcomer).kind == "community.edited"


def test_dismissing_reports_restores_an_auto_hidden_post():
    space, facilitator = facilitated_space()
    space.flag_threshold = 1
    space.save()
    post = thread(space).posts.get()
    thread_services.flag_create(reporter=member(space).user, post=post, reason=FlagReason.UNKIND)
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN
    moderation_services.flag_dismiss(actor=facilitator, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.open_flags == 0
    assert not Flag.objects.filter(resolved_at=None).exists()


def test_escalating_a_safeguarding_report_follows_the_authors_route():
    space, facilitator = facilitated_space()
    org = OrganisationFactory(safeguarding_route="Ring the duty lead on extension 4000.")
    author = member(space).user
    Membership.objects.create(user=author, organisation=org, role=Role.PRACTITIONER)
    post = thread(space, author).posts.get()
    flag = thread_services.flag_create(
        reporter=member(space).user, post=post, reason=FlagReason.SAFEGUARDING
    )
    route = moderation_services.flag_escalate(actor=facilitator, flag=flag)
    assert route == "Ring the duty lead on extension 4000."
    flag.refresh_from_db()
    assert flag.escalated_at is not None
    event = AuditEvent.objects.get(action="community.escalated")
    assert event.data["organisation_id"] == org.pk
    unkind = thread_services.flag_create(
        reporter=member(space).user, post=post, reason=FlagReason.UNKIND
    )
    with pytest.raises(ValidationError):
        moderation_services.flag_escalate(actor=facilitator, flag=unkind)


def test_suspension_stops_posting_for_a_time():
    space, facilitator = facilitated_space()
    m = member(space)
    moderation_services.member_suspend(
        actor=facilitator, member=m, days=7, reason="Repeated unkindness."
    )
    with pytest.raises(thread_services.PostingError):
        thread(space, m.user)
    assert ModerationAction.objects.get(kind="suspended").member == m.user
    with pytest.raises(PermissionDenied):
        moderation_services.member_suspend(actor=m.user, member=m, days=1, reason="x")


def test_queue_page_approve_and_hide_through_views(queue, client):
    _space, facilitator, _newcomer, pending = queue
    client.force_login(facilitator)
    page = client.get(reverse("community_moderation"))
    assert b"A first question" in page.content
    url = reverse("community_moderation_post", args=[pending.pk])
    assert client.post(url, {"action": "approve"}).status_code == 302
    response = client.post(url, {"action": "hide", "reason": ""})
    assert response.status_code == 400 and b"Give a reason" in response.content
    assert client.post(url, {"action": "hide", "reason": "Unkind."}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == PostStatus.HIDDEN
    log = client.get(reverse("community_moderation_log"))
    assert b"Unkind." in log.content


def test_members_by_request_are_approved_by_a_facilitator():
    from community.models import MembershipPolicy, MemberStatus

    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.REQUEST)
    from .factories import UserFactory

    asker = UserFactory()
    m = space_services.space_join(user=asker, space=space)
    assert m.status == MemberStatus.REQUESTED
    assert Notification.objects.filter(recipient=facilitator, kind="community.join_request")
    space_services.member_approve(actor=facilitator, member=m)
    m.refresh_from_db()
    assert m.status == MemberStatus.ACTIVE


def test_invitation_only_spaces():
    from community.models import MembershipPolicy, MemberStatus

    from .factories import UserFactory

    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.INVITATION)
    guest = UserFactory()
    with pytest.raises(PermissionDenied):
        space_services.space_join(user=guest, space=space)
    assert space not in spaces_listed_for(guest)
    space_services.member_invite(actor=facilitator, space=space, email=guest.email)
    assert space in spaces_listed_for(guest)
    assert space_services.space_join(user=guest, space=space).status == MemberStatus.ACTIVE
