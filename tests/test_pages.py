"""Every page renders, says the right things, and has a pinned query count (≤ 4 for
public pages, ≤ 8 signed in), the same with more data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learning.models import Role

from .factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _warm(client, url):
    client.get(url)  # fill the session cache and Wagtail's site cache


def test_landing_page_is_public_and_cheap(client, home_page, django_assert_num_queries):
    _warm(client, "/")
    # Wagtail: site, the reader's locale (the home page is served in their language), page
    # route, ancestors, view restrictions
    with django_assert_num_queries(5):
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Holding Hope" in body
    assert "Sign in" in body
    assert "Who it is for" in body
    assert 'href="#maincontent"' in body  # skip link
    assert "nhsuk-header__logo" not in body  # no NHS logo


@pytest.mark.parametrize(
    "url_name", ["accessibility", "privacy", "account_login", "account_signup"]
)
def test_public_pages(client, url_name, django_assert_max_num_queries):
    url = reverse(url_name)
    _warm(client, url)
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_landing_page_signed_in_links_to_my_home(
    client, people, home_page, django_assert_num_queries
):
    client.force_login(people["practitioner"])
    _warm(client, "/")
    # Wagtail: site, locale, page route, ancestors, view restrictions (roles are cached)
    with django_assert_num_queries(5):
        response = client.get("/")
    assert reverse("dashboard") in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected", "absent", "queries"),
    [
        (
            "practitioner",
            ["Home MMHS", "Practitioner", "Account and security", "My learning"],
            ["Edit content", "Members of", "Assign modules"],
            2,
        ),
        (
            "org_admin",
            [
                "Members of Home MMHS",
                "Organisation admin",
                "Assign modules to members of Home MMHS",
            ],
            ["Edit content"],
            2,
        ),
        ("editor", ["Edit content", "Content editor"], ["Members of"], 1),
        ("coordinator", ["National coordinator"], ["Edit content", "Members of"], 1),
        ("superuser", ["Edit content", "Platform operations"], ["Members of"], 1),
    ],
)
def test_dashboard_by_role(
    client, people, role, expected, absent, queries, django_assert_num_queries
):
    client.force_login(people[role])
    _warm(client, reverse("dashboard"))
    # "continue learning" panel, assignments panel (only for members of an organisation);
    # roles and the unread notifications count come from the cache
    with django_assert_num_queries(queries):
        response = client.get(reverse("dashboard"))
    body = response.content.decode()
    for text in expected:
        assert text in body, text
    for text in absent:
        assert text not in body, text


def test_dashboard_cost_does_not_grow_with_memberships(client, people, django_assert_num_queries):
    user = people["practitioner"]
    for _ in range(10):
        MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.SUPERVISOR)
    client.force_login(user)
    _warm(client, reverse("dashboard"))
    # continue learning, assignments, sign-off waiting (now a supervisor): the same with
    # one membership or eleven (the notifications count is the header's, from the cache)
    with django_assert_num_queries(3):
        response = client.get(reverse("dashboard"))
    assert response.content.decode().count("Supervisor") >= 10


def test_account_pages_signed_in(client, people, django_assert_max_num_queries):
    client.force_login(people["practitioner"])
    for name in ("account_email", "account_change_password", "mfa_index"):
        url = reverse(name)
        _warm(client, url)
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200, name


def test_404_page_is_friendly(client, home_page):
    response = client.get("/this-does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_needs_nothing(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html


def test_superuser_manages_organisations_in_wagtail(client, people, organisation):
    client.force_login(people["superuser"])
    response = client.get("/admin/organisations/")
    assert response.status_code == 200
    assert organisation.name in response.content.decode()
    client.force_login(people["editor"])
    assert client.get("/admin/organisations/").status_code in (302, 403)
