"""community.selectors.space_for_reader: the space, the reader's membership and whether they
facilitate it in one query, scoped as the space pages are (a space the person may not read
and a missing one are both None)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import selectors
from community.models import MembershipPolicy, MemberStatus, SpaceMember
from community.spaces import services as space_services
from learning import permissions
from tests.community_factories import SpaceFactory, facilitated_space, member
from tests.factories import UserFactory, add_to_group

pytestmark = pytest.mark.django_db

MEMBER_FIELDS = [f.attname for f in SpaceMember._meta.concrete_fields]


def _read(user, slug):
    with CaptureQueriesContext(connection) as captured:
        found = selectors.space_for_reader(user, slug)
    assert len(captured) == 1
    return found


def test_an_active_member_gets_the_space_and_their_membership_as_stored():
    space = SpaceFactory(membership_policy=MembershipPolicy.INVITATION)
    reader = UserFactory()
    stored = member(space, reader, suspended_until=timezone.now() + timedelta(days=2))
    found = _read(reader, space.slug)
    assert found is not None
    got_space, got_member = found
    assert got_space.pk == space.pk and got_space.name == space.name
    assert got_member is not None
    assert [getattr(got_member, f) for f in MEMBER_FIELDS] == [
        getattr(stored, f) for f in MEMBER_FIELDS
    ]
    assert got_member.is_suspended and got_member.has_accepted_guidelines
    # A loaded membership is a stored row: saving it updates that row.
    got_member.approved_posts = 7
    got_member.save(update_fields=["approved_posts"])
    assert SpaceMember.objects.get(pk=stored.pk).approved_posts == 7
    assert not permissions.can_moderate_space(reader, got_space)


def test_an_open_space_is_read_by_anyone_signed_in_with_no_membership():
    space = SpaceFactory(membership_policy=MembershipPolicy.OPEN)
    found = _read(UserFactory(), space.slug)
    assert found is not None and found[0].pk == space.pk and found[1] is None


@pytest.mark.parametrize("status", [MemberStatus.INVITED, MemberStatus.REQUESTED, None])
@pytest.mark.parametrize("policy", [MembershipPolicy.REQUEST, MembershipPolicy.INVITATION])
def test_a_closed_space_is_none_to_anyone_not_an_active_member(status, policy):
    space = SpaceFactory(membership_policy=policy)
    reader = UserFactory()
    if status:
        member(space, reader, status=status)
    member(space)  # someone else's membership is not the reader's
    assert _read(reader, space.slug) is None


def test_a_missing_space_and_a_signed_out_person_get_none():
    from django.contrib.auth.models import AnonymousUser

    assert _read(UserFactory(), "no-such-space") is None
    space = SpaceFactory()
    assert selectors.space_for_reader(AnonymousUser(), space.slug) is None


def test_a_facilitator_reads_their_closed_space_and_the_answer_is_theirs_alone():
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.INVITATION)
    SpaceMember.objects.filter(space=space, user=facilitator).delete()
    found = _read(facilitator, space.slug)
    assert found is not None
    got_space, got_member = found
    assert got_member is None
    with CaptureQueriesContext(connection) as captured:
        assert permissions.can_moderate_space(facilitator, got_space)
    assert len(captured) == 0  # answered by the same query
    other = UserFactory()
    assert not permissions.can_moderate_space(other, got_space)  # asked of the database


def test_the_facilitator_service_forgets_what_the_instance_knew():
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.OPEN)
    coordinator = add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
    found = selectors.space_for_reader(facilitator, space.slug)
    assert found is not None
    got_space = found[0]
    assert got_space.facilitated_by(facilitator.pk)
    space_services.space_facilitator_remove(actor=coordinator, space=got_space, person=facilitator)
    assert not got_space.facilitated_by(facilitator.pk)
    space_services.space_facilitator_appoint(actor=coordinator, space=got_space, person=facilitator)
    assert got_space.facilitated_by(facilitator.pk)


def test_the_space_lists_its_threads_a_page_at_a_time_newest_activity_first(client):
    """The space page's thread list is a prepared keyset page: the same threads, in the same
    order, page by page, as the selector's queryset gives, and a pending thread only to the
    facilitators."""
    from community.models import PostStatus, Thread
    from community.threads.selectors import THREADS_PAGE_SIZE, threads_page
    from tests.community_factories import thread

    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.OPEN)
    reader = member(space).user
    started = [thread(space, title=f"Thread {n:02d}") for n in range(THREADS_PAGE_SIZE + 2)]
    moment = timezone.now()
    for n, item in enumerate(started):  # two share a moment: the key breaks the tie
        Thread.objects.filter(pk=item.pk).update(last_post_at=moment - timedelta(minutes=n // 2))
    pending = started[5]
    Thread.objects.filter(pk=pending.pk).update(status=PostStatus.PENDING)

    for person, is_facilitator in ((reader, False), (facilitator, True)):
        expected = list(
            selectors.threads_visible_in(space, person, is_facilitator=is_facilitator)
            .order_by("-last_post_at", "-pk")
            .values_list("pk", flat=True)
        )
        first = threads_page(space, person, is_facilitator=is_facilitator, cursor=None)
        rest = threads_page(space, person, is_facilitator=is_facilitator, cursor=first.next_cursor)
        assert [t.pk for t in first.items] + [t.pk for t in rest.items] == expected
        assert len(first.items) == THREADS_PAGE_SIZE and rest.next_cursor is None
        assert (pending.pk in expected) is is_facilitator

    client.force_login(reader)
    body = client.get(f"/community/{space.slug}/").content.decode()
    assert "Thread 00" in body and pending.title not in body
