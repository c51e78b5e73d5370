"""An organisation admin removes a member's role; the member keeps everything that is theirs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learning import permissions
from learning.models import AuditEvent

from .journal_factories import make_entry

pytestmark = pytest.mark.django_db


def _url(organisation, membership):
    return reverse(
        "membership_end", kwargs={"slug": organisation.slug, "membership_id": membership.pk}
    )


def test_admin_removes_a_role_after_being_asked(
    client, people, organisation, django_assert_num_queries
):
    member = people["practitioner"]
    membership = member.memberships.get(organisation=organisation)
    entry = make_entry(member)
    client.force_login(people["org_admin"])
    url = _url(organisation, membership)
    client.get(url)
    with django_assert_num_queries(2):  # organisation, membership (the person's row is cached)
        page = client.get(url).content.decode()
    assert "Nobody at the organisation can read or delete their journal." in page
    members = client.get(reverse("organisation_members", args=[organisation.slug]))
    assert url in members.content.decode()
    response = client.post(url, follow=True)
    assert "no longer has the role Practitioner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_on is not None
    event = AuditEvent.objects.get(action="membership.ended")
    assert event.actor == people["org_admin"] and event.data["user_id"] == member.pk
    permissions.forget_roles(member)
    assert not permissions.roles_for(member).organisations
    # Their journal is still theirs, and still nobody else's.
    assert client.get(reverse("journal_detail", args=[entry.pk])).status_code == 404
    client.force_login(member)
    assert client.get(reverse("journal_detail", args=[entry.pk])).status_code == 200


def test_an_admin_cannot_remove_their_own_role(client, people, organisation):
    admin = people["org_admin"]
    own = admin.memberships.get(organisation=organisation)
    client.force_login(admin)
    page = client.get(reverse("organisation_members", args=[organisation.slug])).content.decode()
    assert _url(organisation, own) not in page
    response = client.post(_url(organisation, own))
    assert response.status_code == 400
    assert "You cannot remove your own role." in response.content.decode()
    own.refresh_from_db()
    assert own.ended_on is None


def test_nobody_else_can_remove_roles(client, people, organisation, other_organisation):
    membership = people["practitioner"].memberships.get(organisation=organisation)
    for role in ("practitioner", "supervisor", "coordinator", "superuser"):
        client.force_login(people[role])
        assert client.post(_url(organisation, membership)).status_code == 404
    membership.refresh_from_db()
    assert membership.ended_on is None
