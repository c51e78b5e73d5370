"""Rules that read other apps' model predicates, the rules that took over inline checks, and
the two rules that now govern: two-factor set-up and the admin's community space screens."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from zeal import zeal_ignore

from community.models import MembershipPolicy, MemberStatus, PostStatus, Space
from community.spaces import services as space_services
from community.threads import services as thread_services
from community.wagtail_hooks import SpacePermissionPolicy
from learning import permissions

from .community_factories import SpaceFactory, member, thread
from .factories import UserFactory
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db


def test_joining_follows_the_space_policy():
    person = UserFactory()
    assert permissions.can_join_space(person, SpaceFactory(), None)
    requests = SpaceFactory(membership_policy=MembershipPolicy.REQUEST)
    assert permissions.can_join_space(person, requests, None)
    closed = SpaceFactory(membership_policy=MembershipPolicy.INVITATION)
    assert not permissions.can_join_space(person, closed, None)
    assert not permissions.can_join_space(None, SpaceFactory(), None)
    invited = member(closed, status=MemberStatus.INVITED)
    assert permissions.can_join_space(invited.user, closed, invited)
    assert space_services.space_join(user=invited.user, space=closed).is_active
    with pytest.raises(PermissionDenied):
        space_services.space_join(user=person, space=closed)


def test_reporting_is_for_people_who_take_part_and_not_their_own_post():
    space = SpaceFactory()
    writer = member(space)
    reader = member(space)
    post = thread(space, writer.user).posts.get()
    assert permissions.can_report_post(reader.user, space, reader, post)
    assert not permissions.can_report_post(writer.user, space, writer, post)
    assert not permissions.can_report_post(UserFactory(), space, None, post)
    post.status = PostStatus.HIDDEN
    post.save(update_fields=["status"])
    assert not post.is_published
    assert not permissions.can_report_post(reader.user, space, reader, post)
    with pytest.raises(PermissionDenied):
        thread_services.flag_create(reporter=reader.user, post=post, reason="unkind")


def test_authors_change_posts_only_while_editable():
    space = SpaceFactory()
    writer = member(space)
    post = thread(space, writer.user).posts.get()
    assert post.is_editable and permissions.can_change_post(writer.user, space, writer, post)
    other = member(space)
    assert not permissions.can_change_post(other.user, space, other, post)
    for status in (PostStatus.HIDDEN, PostStatus.REJECTED):
        post.status = status
        assert not post.is_editable
        assert not permissions.can_change_post(writer.user, space, writer, post)


def test_a_suspended_author_cannot_change_their_posts():
    from datetime import timedelta

    from django.utils import timezone

    space = SpaceFactory()
    writer = member(space)
    post = thread(space, writer.user).posts.get()
    writer.suspended_until = timezone.now() + timedelta(days=7)
    writer.save(update_fields=["suspended_until"])
    assert not permissions.can_change_post(writer.user, space, writer, post)
    with pytest.raises(PermissionDenied):
        thread_services.post_edit(actor=writer.user, post=post, body="Changed while suspended.")


def test_guidelines_are_accepted_by_people_who_take_part():
    space = SpaceFactory()
    newcomer = member(space, accepted=False)
    assert space_services.guidelines_accept(user=newcomer.user, space=space).has_accepted_guidelines
    with pytest.raises(PermissionDenied):
        space_services.guidelines_accept(user=UserFactory(), space=space)
    facilitator = UserFactory()
    space.facilitators.add(facilitator)
    space = Space.objects.get(pk=space.pk)  # facilitator ids are cached on the instance
    accepted = space_services.guidelines_accept(user=facilitator, space=space)
    assert accepted.is_active and accepted.has_accepted_guidelines


def test_supervision_rules_read_the_models_predicates():
    supervisor, supervisee = UserFactory(), UserFactory()
    proposed = make_relationship(supervisee, supervisor, status="proposed")
    assert proposed.is_proposed and not proposed.is_active
    assert permissions.can_answer_supervision_proposal(supervisee, proposed)
    assert not permissions.can_answer_supervision_proposal(supervisor, proposed)  # proposed it
    assert not permissions.can_record_supervision_session(supervisee, proposed)
    active = make_relationship(supervisee, supervisor, kind="safeguarding")
    assert permissions.can_record_supervision_session(supervisee, active)
    assert not permissions.can_answer_supervision_proposal(supervisee, active)
    session = make_session(active, author=supervisee)
    assert session.is_submitted and not session.is_locked
    assert permissions.can_confirm_supervision_session(supervisor, session)
    assert not permissions.can_confirm_supervision_session(supervisee, session)  # wrote it
    assert permissions.can_change_supervision_session(supervisee, session)
    assert permissions.can_check_in(supervisee, session)
    assert not permissions.can_add_supervision_addendum(supervisee, session)
    locked = make_session(active, author=supervisee, locked=True)
    assert locked.is_locked and not locked.is_submitted
    assert not permissions.can_change_supervision_session(supervisee, locked)
    assert not permissions.can_confirm_supervision_session(supervisor, locked)
    assert not permissions.can_check_in(supervisee, locked)
    assert permissions.can_add_supervision_addendum(supervisor, locked)
    assert not permissions.can_add_supervision_addendum(UserFactory(), locked)


def test_two_factor_is_required_of_privileged_people_when_switched_on(people, settings):
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = False
    assert not permissions.requires_two_factor(people["supervisor"])
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = True
    assert permissions.requires_two_factor(people["supervisor"])
    assert permissions.requires_two_factor(people["editor"])
    assert not permissions.requires_two_factor(people["practitioner"])
    assert not permissions.requires_two_factor(None)


def test_the_admin_space_screens_ask_the_rulebook(people):
    policy = SpacePermissionPolicy(Space)
    with zeal_ignore():  # one roles lookup per person, on purpose
        for role in ("editor", "coordinator", "superuser"):
            assert policy.user_has_permission(people[role], "change"), role
            assert permissions.can_manage_community_spaces(people[role]), role
        for role in ("practitioner", "facilitator", "org_admin"):
            assert not policy.user_has_any_permission(people[role], ["add", "change"]), role
