"""Spaces: listing, joining, guidelines, members and requests through the pages; the Wagtail
snippet for editors; the "My home" panel; anonymity kept in the moderation screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import MembershipPolicy, MemberStatus, PreModeration, Space, SpaceMember
from community.threads import services as thread_services
from learning import permissions
from learning.models import Role

from .community_factories import SpaceFactory, facilitated_space, member, thread
from .factories import MembershipFactory, UserFactory, add_to_group
from .test_community_facilitator_appoint import NO_RESOURCES

pytestmark = pytest.mark.django_db


def test_index_lists_open_and_request_spaces_but_not_invitation_only(client):
    SpaceFactory(name="Open one")
    SpaceFactory(name="Request one", membership_policy=MembershipPolicy.REQUEST)
    SpaceFactory(name="Secret one", membership_policy=MembershipPolicy.INVITATION)
    client.force_login(UserFactory())
    content = client.get(reverse("community_index")).content
    assert b"Open one" in content and b"Request one" in content
    assert b"Secret one" not in content


def test_non_members_see_nothing_of_a_members_only_space(client):
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.REQUEST)
    t = thread(space, facilitator)
    outsider = UserFactory()
    client.force_login(outsider)
    for url in (
        reverse("community_space", args=[space.slug]),
        reverse("community_thread", args=[space.slug, t.pk]),
        reverse("community_sessions", args=[space.slug]),
        reverse("community_guidelines", args=[space.slug]),
    ):
        assert client.get(url).status_code == 404, url
    # Asking to join is allowed, and does not open anything until approved.
    assert client.post(reverse("community_join", args=[space.slug])).status_code == 302
    assert client.get(reverse("community_space", args=[space.slug])).status_code == 404
    requested = SpaceMember.objects.get(space=space, user=outsider)
    assert requested.status == MemberStatus.REQUESTED
    client.force_login(facilitator)
    response = client.post(
        reverse("community_members", args=[space.slug]),
        {"action": "approve", "member": requested.pk},
    )
    assert response.status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("community_space", args=[space.slug])).status_code == 200


def test_joining_an_open_space_and_accepting_guidelines_through_pages(client):
    space = SpaceFactory()
    person = UserFactory()
    client.force_login(person)
    assert client.post(reverse("community_join", args=[space.slug])).status_code == 302
    response = client.get(reverse("community_thread_new", args=[space.slug]))
    assert response.status_code == 302 and "guidelines" in response["Location"]
    url = reverse("community_guidelines", args=[space.slug])
    response = client.post(url, {"next": "new"})
    assert response.status_code == 400 and b"Tick the box" in response.content
    response = client.post(url, {"accept": "yes", "next": "new"})
    assert response["Location"] == reverse("community_thread_new", args=[space.slug])
    response = client.post(
        reverse("community_thread_new", args=[space.slug]),
        {"title": "My question", "body": ""},
    )
    assert response.status_code == 400 and b"My question" in response.content
    assert b"Write your post before you send it." in response.content


def test_invite_and_suspend_through_the_members_page(client):
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.INVITATION)
    guest = UserFactory()
    client.force_login(facilitator)
    url = reverse("community_members", args=[space.slug])
    # Whether an address has an account is never said: the same answer either way.
    answers = []
    for email in ("nobody@example.nhs.uk", guest.email):
        response = client.post(url, {"action": "invite", "email": email}, follow=True)
        body = response.content.decode()
        assert response.redirect_chain and "If that email address belongs to someone" in body
        answers.append(response.redirect_chain)
    assert answers[0] == answers[1]
    assert SpaceMember.objects.get(user=guest).status == MemberStatus.INVITED
    assert not SpaceMember.objects.filter(space=space, user__email="nobody@example.nhs.uk")
    m = member(space)
    response = client.post(url, {"action": "suspend", "member": m.pk, "days": "3", "reason": ""})
    assert response.status_code == 400
    response = client.post(
        url, {"action": "suspend", "member": m.pk, "days": "3", "reason": "Cooling off."}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.is_suspended


def test_invitations_are_rate_limited(client, settings):
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "space_invite": "2/1h"}
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.INVITATION)
    client.force_login(facilitator)
    url = reverse("community_members", args=[space.slug])
    for n in range(2):
        response = client.post(url, {"action": "invite", "email": f"someone{n}@example.nhs.uk"})
        assert response.status_code == 302
    guest = UserFactory()
    response = client.post(url, {"action": "invite", "email": guest.email})
    assert response.status_code == 400
    assert "You have sent a lot of invitations in a short time." in response.content.decode()
    assert not SpaceMember.objects.filter(user=guest).exists()


def test_anonymous_authors_stay_hidden_in_the_queue_and_history(client):
    space, facilitator = facilitated_space(premoderation=PreModeration.ALL)
    writer = member(space, UserFactory(display_name="Quiet Writer")).user
    t = thread(space, writer, anonymous=True)
    thread_services.post_edit(actor=writer, post=t.posts.get(), body="Changed my words.")
    client.force_login(facilitator)
    for url in (
        reverse("community_moderation"),
        reverse("community_moderation_post", args=[t.posts.get().pk]),
        reverse("community_thread", args=[space.slug, t.pk]),
    ):
        content = client.get(url).content
        assert b"Quiet Writer" not in content, url
        assert b"posted without their name" in content or b"author" in content


def test_editors_manage_spaces_in_wagtail(client):
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    assert permissions.can_manage_community_spaces(editor)
    client.force_login(editor)
    response = client.get("/admin/snippets/community/space/")
    assert response.status_code == 200
    practitioner = UserFactory()
    assert not permissions.can_manage_community_spaces(practitioner)
    client.force_login(practitioner)
    assert client.get("/admin/snippets/community/space/").status_code == 302


def test_dashboard_panel_counts_waiting_posts_for_facilitators(client):
    space, facilitator = facilitated_space(premoderation=PreModeration.ALL)
    MembershipFactory(user=facilitator, role=Role.FACILITATOR)
    thread(space, member(space).user)
    client.force_login(facilitator)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Waiting for review: 1" in content
    client.force_login(member(space).user)
    assert "Waiting for review" not in client.get(reverse("dashboard")).content.decode()


def test_reserved_slugs_are_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.create(name="x", slug="moderation", description="x", guidelines="x")


def test_coordinator_creates_a_space_with_facilitators_in_wagtail(client):
    editor = add_to_group(
        add_to_group(UserFactory(), permissions.CONTENT_EDITORS), permissions.NATIONAL_COORDINATORS
    )
    chosen = UserFactory()
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_community_space:add"),
        {
            "name": "Regional group: North West",
            "slug": "north-west",
            "description": "Practitioners in the North West.",
            "guidelines": "Be kind.",
            "membership_policy": MembershipPolicy.REQUEST,
            "premoderation": PreModeration.FIRST_POSTS,
            "premoderation_posts": "2",
            "flag_threshold": "3",
            **NO_RESOURCES,
            "facilitators": [chosen.pk],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    space = Space.objects.get(slug="north-west")
    assert space.facilitator_ids() == {chosen.pk}


def test_wagtail_form_refuses_a_reserved_short_name(client):
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_community_space:add"),
        {
            "name": "Moderation",
            "slug": "moderation",
            "description": "x",
            "guidelines": "x",
            "membership_policy": MembershipPolicy.OPEN,
            "premoderation": PreModeration.NONE,
            "premoderation_posts": "2",
            "flag_threshold": "3",
            **NO_RESOURCES,
        },
    )
    assert response.status_code == 200
    assert "used by the community" in response.content.decode()
    assert not Space.objects.filter(slug="moderation").exists()
