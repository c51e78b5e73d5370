"""The screen where organisation admins (for their organisation's spaces) and the national
coordinator appoint and remove facilitators: never themselves, only members of the space's
organisation, each change audited and the person told. Anyone else gets 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import Space
from community.spaces.services import space_facilitator_appoint
from learning import permissions
from learning.models import AuditEvent, Notification, Role

from .community_factories import SpaceFactory
from .factories import MembershipFactory, OrganisationFactory, UserFactory, add_to_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    organisation, elsewhere = OrganisationFactory(), OrganisationFactory()
    space = SpaceFactory(organisation=organisation, name="North East practitioners")
    other_space = SpaceFactory(organisation=elsewhere, name="Elsewhere practitioners")
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    colleague = MembershipFactory(
        organisation=organisation, role=Role.PRACTITIONER, user__display_name="Cara Colleague"
    ).user
    stranger = MembershipFactory(
        organisation=elsewhere, role=Role.PRACTITIONER, user__display_name="Sid Stranger"
    ).user
    return {
        "space": space,
        "other_space": other_space,
        "admin": admin,
        "colleague": colleague,
        "stranger": stranger,
        "coordinator": add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS),
    }


def _url(space: Space) -> str:
    return reverse("community_space_facilitators", args=[space.slug])


def test_an_organisation_admin_appoints_and_removes_a_member(client, world):
    space, admin, colleague = world["space"], world["admin"], world["colleague"]
    client.force_login(admin)
    index = client.get(reverse("community_facilitators")).content.decode()
    assert space.name in index and world["other_space"].name not in index
    page = client.get(_url(space)).content.decode()
    # Only members of the space's organisation are offered; never the admin themselves.
    assert "Cara Colleague" in page and "Sid Stranger" not in page
    assert f'value="{admin.pk}"' not in page
    response = client.post(_url(space), {"action": "appoint", "person": colleague.pk})
    assert response.status_code == 302
    assert Space.objects.get(pk=space.pk).facilitator_ids() == {colleague.pk}
    audit = AuditEvent.objects.get(action="community.facilitator_appointed")
    assert audit.actor_id == admin.pk and audit.data["user_id"] == colleague.pk
    assert Notification.objects.filter(recipient=colleague, kind="community.facilitator").exists()
    response = client.post(_url(space), {"action": "remove", "person": colleague.pk})
    assert response.status_code == 302
    assert Space.objects.get(pk=space.pk).facilitator_ids() == frozenset()
    assert AuditEvent.objects.filter(action="community.facilitator_removed").count() == 1


def test_nobody_appoints_themselves_or_someone_outside_the_organisation(client, world):
    space, admin = world["space"], world["admin"]
    client.force_login(admin)
    for person in (admin, world["stranger"]):
        response = client.post(_url(space), {"action": "appoint", "person": person.pk})
        assert response.status_code == 400
        assert "Choose a member of the organisation" in response.content.decode()
    assert Space.objects.get(pk=space.pk).facilitator_ids() == frozenset()
    # The service refuses an outsider too, whoever asks.
    with pytest.raises(ValidationError):
        space_facilitator_appoint(actor=world["coordinator"], space=space, person=world["stranger"])
    # A facilitator appointed by someone else cannot be removed by themselves here.
    space_facilitator_appoint(actor=world["coordinator"], space=space, person=admin)
    response = client.post(_url(space), {"action": "remove", "person": admin.pk}, follow=True)
    assert "You cannot remove yourself" in response.content.decode()
    assert admin.pk in Space.objects.get(pk=space.pk).facilitator_ids()


def test_the_coordinator_appoints_in_any_organisations_space(client, world):
    client.force_login(world["coordinator"])
    index = client.get(reverse("community_facilitators")).content.decode()
    assert world["space"].name in index and world["other_space"].name in index
    response = client.post(
        _url(world["other_space"]), {"action": "appoint", "person": world["stranger"].pk}
    )
    assert response.status_code == 302
    assert world["stranger"].pk in world["other_space"].facilitator_ids()


def test_everyone_else_gets_404(client, world):
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    for person in (world["colleague"], editor, world["stranger"]):
        client.force_login(person)
        assert client.get(reverse("community_facilitators")).status_code == 404
        assert client.get(_url(world["space"])).status_code == 404
        response = client.post(
            _url(world["space"]), {"action": "appoint", "person": world["colleague"].pk}
        )
        assert response.status_code == 404
    # An admin of another organisation cannot reach this organisation's space.
    client.force_login(MembershipFactory(role=Role.ORG_ADMIN).user)
    assert client.get(_url(world["space"])).status_code == 404
    assert Space.objects.get(pk=world["space"].pk).facilitator_ids() == frozenset()


def test_the_community_index_links_appointers_only(client, world):
    client.force_login(world["admin"])
    assert (
        reverse("community_facilitators") in client.get(reverse("community_index")).content.decode()
    )
    client.force_login(world["colleague"])
    assert (
        reverse("community_facilitators")
        not in client.get(reverse("community_index")).content.decode()
    )


def test_facilitator_pages_query_counts(client, django_assert_num_queries, world):
    client.force_login(world["admin"])
    for url, queries in ((reverse("community_facilitators"), 2), (_url(world["space"]), 3)):
        client.get(url)  # warm the roles cache
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_admin_form_refuses_someone_outside_the_organisation(client, world):
    from .test_community_facilitator_appoint import _space_form

    space = world["space"]
    coordinator = add_to_group(world["coordinator"], permissions.CONTENT_EDITORS)
    client.force_login(coordinator)
    url = reverse("wagtailsnippets_community_space:edit", args=[space.pk])
    form = _space_form(space, organisation=space.organisation_id)
    response = client.post(url, {**form, "facilitators": [world["stranger"].pk]})
    assert response.status_code == 200
    assert "Choose facilitators from the members of the space" in response.content.decode()
    assert Space.objects.get(pk=space.pk).facilitator_ids() == frozenset()
    response = client.post(url, {**form, "facilitators": [world["colleague"].pk]})
    assert response.status_code == 302
    assert Space.objects.get(pk=space.pk).facilitator_ids() == {world["colleague"].pk}
