"""The header's role links: "Moderation" for people who facilitate a space, "Members",
"Assignments" and "Reports" for organisation admins; worked out from the rulebook, cached per
person and forgotten when the role changes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from learning.models import Role

from .community_factories import SpaceFactory, facilitated_space
from .factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLE_LINKS = ("Moderation", "Members", "Assignments", "Reports")


def _menu(client) -> dict[str, str]:
    """The header menu's links (label -> address) on "My home"."""
    page = client.get(reverse("dashboard")).content.decode()
    menu = page.split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(
        r'<a class="nhsuk-header__navigation-link" href="([^"]+)"[^>]*>([^<]+)</a>', menu
    )
    return {label: href for href, label in links}


def _role_links(client) -> dict[str, str]:
    return {k: v for k, v in _menu(client).items() if k in ROLE_LINKS}


def test_each_role_sees_its_links_and_nothing_more(client, organisation):
    practitioner = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    supervisor = MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user
    _space, facilitator = facilitated_space()
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    for person in (practitioner, supervisor):
        client.force_login(person)
        assert _role_links(client) == {}
    client.force_login(facilitator)
    assert _role_links(client) == {"Moderation": reverse("community_moderation")}
    client.force_login(admin)
    assert _role_links(client) == {
        "Members": reverse("organisation_members", kwargs={"slug": organisation.slug}),
        "Assignments": reverse("organisation_assignments", kwargs={"slug": organisation.slug}),
        "Reports": reverse("reports_index"),
    }
    # Every link opens for them.
    for href in _role_links(client).values():
        assert client.get(href).status_code == 200


def test_an_admin_of_several_organisations_is_sent_to_my_home_to_choose(client, organisation):
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    MembershipFactory(user=admin, organisation=OrganisationFactory(), role=Role.ORG_ADMIN)
    client.force_login(admin)
    links = _role_links(client)
    assert links["Members"] == links["Assignments"] == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert page.count("Members of ") == 2  # "My home" lists each organisation


def test_moderation_follows_appointment_at_once_and_costs_no_query_once_cached(
    client, django_assert_num_queries
):
    person = UserFactory()
    space = SpaceFactory()
    client.force_login(person)
    assert "Moderation" not in _menu(client)
    space.facilitators.add(person)
    assert "Moderation" in _menu(client)
    path = reverse("notification_list")
    client.get(path)
    with django_assert_num_queries(1):  # the list (as pinned; the person's row is cached)
        assert "Moderation" in client.get(path).content.decode()
    space.facilitators.remove(person)
    assert "Moderation" not in _menu(client)
    space.facilitators.add(person)
    space.facilitators.clear()
    assert "Moderation" not in _menu(client)


def test_members_and_assignments_go_when_the_admin_role_ends(client, organisation):
    membership = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN)
    client.force_login(membership.user)
    assert "Members" in _menu(client)
    membership.delete()
    assert _role_links(client) == {}
