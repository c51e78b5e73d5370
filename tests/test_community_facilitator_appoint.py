"""Who appoints a space's facilitators: the national coordinator or an admin of the space's
organisation, never the person themselves, and never a content editor by editing the space (a
facilitator can reveal anonymous authors). Enforced in the rulebook, the service and the admin
form; each appointment audited and the person told."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from zeal import zeal_context

from community.models import MembershipPolicy, PreModeration, Space
from community.moderation.reveals import reveal_request
from community.spaces.services import space_facilitator_appoint, space_facilitator_remove
from learning import permissions
from learning.models import AuditEvent, Notification, Role

from .community_factories import SpaceFactory, facilitated_space, member, thread
from .factories import MembershipFactory, OrganisationFactory, UserFactory, add_to_group

pytestmark = pytest.mark.django_db


# The space's resources are an inline list in the admin form: its management fields, empty.
NO_RESOURCES = {
    "resources-TOTAL_FORMS": "0",
    "resources-INITIAL_FORMS": "0",
    "resources-MIN_NUM_FORMS": "0",
    "resources-MAX_NUM_FORMS": "1000",
}


def _space_form(space: Space | None, **changes) -> dict:
    data = {
        "name": space.name if space else "Regional group: North West",
        "slug": space.slug if space else "north-west",
        "description": "Practitioners in the North West.",
        "guidelines": "Be kind.",
        "membership_policy": space.membership_policy if space else MembershipPolicy.REQUEST,
        "premoderation": PreModeration.FIRST_POSTS,
        "premoderation_posts": "2",
        "flag_threshold": "3",
        **NO_RESOURCES,
    }
    data.update(changes)
    return data


def test_an_editor_cannot_make_themselves_a_facilitator_and_reveal_an_author(client):
    """The review's reproduction: an editor adds themselves as facilitator of an invitation-only
    space in the "Community spaces" snippet, then reveals an anonymous author."""
    space, _facilitator = facilitated_space(membership_policy=MembershipPolicy.INVITATION)
    asker = member(space).user
    anonymous = thread(space, asker, anonymous=True)
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    client.force_login(editor)
    before = set(space.facilitator_ids())
    url = reverse("wagtailsnippets_community_space:edit", args=[space.pk])
    response = client.post(url, _space_form(space, facilitators=[*before, editor.pk]))
    assert response.status_code in (200, 302)
    assert set(Space.objects.get(pk=space.pk).facilitator_ids()) == before
    with pytest.raises(PermissionDenied):
        reveal_request(actor=editor, thread=anonymous, reason="Curious.")
    moderate = reverse("community_moderation_thread", args=[anonymous.pk])
    assert client.post(moderate, {"action": "reveal", "reason": "Curious."}).status_code == 404


def test_an_editor_still_edits_a_spaces_settings_but_not_its_people(client):
    space, facilitator = facilitated_space()
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    other = UserFactory()
    client.force_login(editor)
    url = reverse("wagtailsnippets_community_space:edit", args=[space.pk])
    page = client.get(url).content.decode()
    assert "appointed by the national coordinator or an admin" in page
    response = client.post(url, _space_form(space, name="Renamed", facilitators=[other.pk]))
    assert response.status_code == 302
    space = Space.objects.get(pk=space.pk)
    assert space.name == "Renamed" and space.facilitator_ids() == {facilitator.pk}
    response = client.post(
        reverse("wagtailsnippets_community_space:add"), _space_form(None, facilitators=[editor.pk])
    )
    assert response.status_code == 302
    assert Space.objects.get(slug="north-west").facilitator_ids() == frozenset()


def test_the_coordinator_appoints_others_through_the_admin_but_never_themselves(client):
    space = SpaceFactory()
    # a coordinator with admin access (a content editor too)
    coordinator = add_to_group(
        add_to_group(UserFactory(), permissions.CONTENT_EDITORS), permissions.NATIONAL_COORDINATORS
    )
    chosen = UserFactory()
    client.force_login(coordinator)
    url = reverse("wagtailsnippets_community_space:edit", args=[space.pk])
    response = client.post(url, _space_form(space, facilitators=[chosen.pk]))
    assert response.status_code == 302
    assert Space.objects.get(pk=space.pk).facilitator_ids() == {chosen.pk}
    audit = AuditEvent.objects.get(action="community.facilitator_appointed")
    assert audit.actor_id == coordinator.pk and audit.data["user_id"] == chosen.pk
    assert Notification.objects.filter(recipient=chosen, kind="community.facilitator").exists()
    response = client.post(url, _space_form(space, facilitators=[chosen.pk, coordinator.pk]))
    assert response.status_code == 200
    assert "You cannot appoint yourself" in response.content.decode()
    assert coordinator.pk not in Space.objects.get(pk=space.pk).facilitator_ids()
    response = client.post(url, _space_form(space, facilitators=[]))
    assert Space.objects.get(pk=space.pk).facilitator_ids() == frozenset()
    assert AuditEvent.objects.filter(action="community.facilitator_removed").count() == 1


def test_only_the_coordinator_or_the_spaces_organisation_admin_appoints():
    organisation, elsewhere = OrganisationFactory(), OrganisationFactory()
    space = SpaceFactory(organisation=organisation)
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    other_admin = MembershipFactory(organisation=elsewhere, role=Role.ORG_ADMIN).user
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    person = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    for actor in (other_admin, editor, person):
        with zeal_context(), pytest.raises(PermissionDenied):  # a request each
            space_facilitator_appoint(actor=actor, space=space, person=person)
    with pytest.raises(PermissionDenied):
        space_facilitator_appoint(actor=admin, space=space, person=admin)  # never themselves
    space_facilitator_appoint(actor=admin, space=space, person=person)
    assert Space.objects.get(pk=space.pk).facilitator_ids() == {person.pk}
    with pytest.raises(PermissionDenied):
        space_facilitator_remove(actor=editor, space=space, person=person)
    nowhere = SpaceFactory()  # no organisation: only the coordinator
    assert not permissions.can_appoint_facilitators(admin, nowhere)
    coordinator = add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
    assert permissions.can_appoint_facilitator(coordinator, nowhere, person)
    assert not permissions.can_appoint_facilitator(coordinator, nowhere, coordinator)
