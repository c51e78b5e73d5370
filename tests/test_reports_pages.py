"""Report pages: what the organisation admin and the national coordinator see, with pinned query
counts that are the same for 3 and 30 members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learning import permissions
from learning.reports.registry import national_sections, organisation_sections

from .factories import UserFactory, add_to_group
from .report_factories import QUARTER, on_data_day, on_read_day, populated_organisation

pytestmark = pytest.mark.django_db

ORG_SECTIONS = [
    "training",
    "training_members",
    "completions",
    "register",
    "supervision",
    "supervision_types",
    "confidence",
    "community",
]
NATIONAL_SECTIONS = ["trained_services", "supervision", "confidence", "community"]

# Warm (roles and the person's row cached): the organisation, then the section's own queries.
ORG_QUERIES = {
    "training": 4,  # + live modules, progress by module, open assignments by module
    "training_members": 2,  # + one page of members with their counts
    "completions": 2,  # + completions by month
    "register": 2,  # + one page of qualifying completions with certificate codes
    "supervision": 2,  # + one page of members with last session and frequency
    "supervision_types": 2,  # + sessions by type and format
    "confidence": 2,  # + paired ratings by outcome
    "community": 2,  # + posts by space
}
# Warm: the section's own queries (the person's row is cached).
NATIONAL_QUERIES = {
    "trained_services": 2,  # + services by topic and group, topics
    "supervision": 1,  # + supervisees by group with frequency
    "confidence": 1,  # + paired ratings by topic
    "community": 2,  # + people by space and group, spaces
}


def coordinator():
    return add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)


def test_every_section_is_registered():
    assert [s.key for s in organisation_sections()] == ORG_SECTIONS
    assert [s.key for s in national_sections()] == NATIONAL_SECTIONS


def _pinned(client, django_assert_num_queries, url, queries):
    client.get(url)  # warm the roles cache
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert "<table" in body and "<caption" in body
    return body


@pytest.mark.parametrize("n", [3, 30])
def test_every_report_page_costs_the_same_for_3_and_30_members(
    client, django_assert_num_queries, n
):
    organisation, admin, members, _modules = populated_organisation(n)
    client.force_login(admin)
    for section, queries in ORG_QUERIES.items():
        url = reverse("report_organisation", args=[organisation.slug]) + f"?section={section}"
        body = _pinned(client, django_assert_num_queries, url, queries)
        if section in ("training_members", "supervision"):
            assert str(members[0]) in body
    client.force_login(coordinator())
    for section, queries in NATIONAL_QUERIES.items():
        for group_by in ("kind", "region"):
            url = reverse("report_national") + f"?section={section}&group_by={group_by}"
            _pinned(client, django_assert_num_queries, url, queries)


def test_the_organisation_report_shows_tables_beside_accessible_charts(client):
    with on_data_day():
        organisation, admin, _members, modules = populated_organisation(3)
    client.force_login(admin)
    with on_read_day():
        url = reverse("report_organisation", args=[organisation.slug])
        body = client.get(url).content.decode()
    assert (
        'role="img"' in body and "<title id=" in body and 'aria-labelledby="chart-training' in body
    )
    assert modules[0].title in body
    # 3 enrolled, 3 completed in the period on the first module
    assert '<td class="nhsuk-table__cell">3</td>' in body


def test_the_register_lists_qualified_members_with_certificate_codes(client):
    with on_data_day():
        organisation, admin, _members, modules = populated_organisation(3)
    client.force_login(admin)
    url = reverse("report_organisation", args=[organisation.slug]) + "?section=register"
    with on_read_day():
        body = client.get(url).content.decode()
    assert "HOPE Box delivery" in body
    assert f"HH-TEST-{organisation.pk:04d}-0000" in body
    assert modules[1].title not in body  # not a qualifying module


def test_member_tables_page_by_keyset(client):
    organisation, admin, _members, _ = populated_organisation(3)
    from learning.reports import views

    client.force_login(admin)
    url = reverse("report_organisation", args=[organisation.slug]) + "?section=training_members"
    old = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        body = client.get(url).content.decode()
        assert "Next page" in body
    finally:
        views.PAGE_SIZE = old


def test_national_figures_under_5_are_shown_as_less_than_5(client):
    with on_data_day():
        populated_organisation(3)
    client.force_login(coordinator())
    with on_read_day():
        for section in NATIONAL_SECTIONS:
            body = client.get(reverse("report_national") + f"?section={section}").content.decode()
            assert "&lt;5" in body, section
            assert "January to March 2026" in body  # the last quarter that has ended
            assert "means a count of 1, 2, 3 or 4." in body
            assert "rounded to the nearest 5" in body


def test_national_figures_of_5_or_more_are_shown_rounded_to_5(client):
    with on_data_day():
        populated_organisation(6)
        populated_organisation(8)
    client.force_login(coordinator())
    url = reverse("report_national") + "?section=supervision&period=" + QUARTER
    with on_read_day():
        body = client.get(url).content.decode()
        # 14 supervisees within frequency at MMHSs in London: shown as 15
        assert '<td class="nhsuk-table__cell">15</td>' in body
        assert '<td class="nhsuk-table__cell">14</td>' not in body
        body = client.get(url + "&group_by=region").content.decode()
        assert "London" in body and '<td class="nhsuk-table__cell">15</td>' in body


def test_the_organisation_report_offers_only_whole_months_and_quarters(client):
    with on_data_day():
        organisation, admin, *_ = populated_organisation(1)
    client.force_login(admin)
    url = reverse("report_organisation", args=[organisation.slug])
    with on_read_day():
        body = client.get(url).content.decode()
        assert '<option value="2026-Q1" selected>January to March 2026</option>' in body
        assert '<option value="2026-03">March 2026</option>' in body
        assert 'value="2026-04"' not in body and 'value="2026-Q2"' not in body  # not ended
        assert "date_from" not in body
        response = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-02-28"})
        assert "From 1 February 2026 to 28 February 2026." in response.content.decode()
        body = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-02-27"}).content
        assert "only given for a whole month or quarter" in body.decode()


def test_the_period_filters_the_figures(client):
    with on_data_day():
        organisation, admin, *_ = populated_organisation(2)
    client.force_login(admin)
    url = reverse("report_organisation", args=[organisation.slug])
    with on_read_day():
        body = client.get(url, {"section": "completions", "period": "2026-01"}).content.decode()
        assert 'header">January 2026</th><td class="nhsuk-table__cell">0</td>' in body
        assert 'header">February 2026</th>' not in body
        body = client.get(url, {"section": "completions", "period": "2026-Q1"}).content.decode()
        assert 'header">March 2026</th><td class="nhsuk-table__cell">2</td>' in body


def test_the_reports_index_lists_administered_organisations_and_the_national_link(client):
    organisation, admin, *_ = populated_organisation(1)
    client.force_login(admin)
    body = client.get(reverse("reports_index")).content.decode()
    assert organisation.name in body and reverse("report_national") not in body
    person = coordinator()
    client.force_login(person)
    body = client.get(reverse("reports_index")).content.decode()
    assert reverse("report_national") in body and organisation.name not in body


def test_the_reports_area_is_in_the_navigation_for_admins_and_coordinators_only(client):
    _organisation, admin, members, _ = populated_organisation(1)
    client.force_login(admin)
    assert reverse("reports_index") in client.get(reverse("dashboard")).content.decode()
    client.force_login(members[0])
    assert reverse("reports_index") not in client.get(reverse("dashboard")).content.decode()
