"""Supervision pages: pinned query counts on every page (the same for 1 and 20 supervisees or
members), the supervisor's one-page view, the dashboard panel, and the organisation view, which
shows dates, durations and types and never content."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_context

from learning.models import Role
from reflection.supervision import checkins, sessions
from reflection.supervision.panels import supervision_dashboard_panel
from reflection.supervision.selectors_org import sessions_by_type, supervision_frequency_by_member

from .factories import MembershipFactory, OrganisationFactory, UserFactory
from .supervision_factories import SENTINEL, make_action, make_relationship, make_session

pytestmark = pytest.mark.django_db


def _warm(client, url):
    client.get(url)


def pinned(client, url, queries, django_assert_num_queries, status=200):
    _warm(client, url)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode(errors="replace")


def supervisor_with(n: int):
    supervisor = UserFactory()
    today = timezone.localdate()
    for i in range(n):
        rel = make_relationship(supervisor=supervisor, started_on=today - timedelta(weeks=20))
        held = today - timedelta(weeks=8 if i % 2 else 2)
        session = make_session(rel, held_on=held, next_on=today + timedelta(days=i + 1))
        make_action(session)
        make_session(rel, held_on=held - timedelta(weeks=5), locked=True)
    return supervisor


@pytest.mark.parametrize("n", [1, 20])
def test_the_supervisors_page_costs_the_same_for_1_and_20_supervisees(
    client, n, django_assert_num_queries
):
    supervisor = supervisor_with(n)
    client.force_login(supervisor)
    # relationships with last and next dates, awaiting confirmation, open actions,
    # sessions page
    body = pinned(client, reverse("supervision_home"), 4, django_assert_num_queries)
    assert "Your supervisees" in body
    assert body.count('class="nhsuk-tag nhsuk-tag--red"') == n // 2  # overdue highlighted
    assert "Waiting for you to confirm" not in body  # the supervisor wrote them
    assert "Waiting for the other person to confirm" in body
    assert SENTINEL in body  # open action text, for the parties
    assert "We talked about a hard week" not in body  # summaries are not listed


def test_the_supervisee_sees_records_to_confirm_and_open_actions(client, django_assert_num_queries):
    rel = make_relationship()
    locked = make_session(rel, locked=True, held_on=timezone.localdate() - timedelta(days=40))
    make_action(locked)
    waiting = make_session(rel)
    client.force_login(rel.supervisee)
    body = pinned(client, reverse("supervision_home"), 4, django_assert_num_queries)
    assert "Waiting for you to confirm" in body and "Your supervisors" in body
    assert "Read the lesson." in body
    # Each list's rows link where they should (one resolved URL a list, learning/links.py).
    assert f'href="{reverse("supervision_confirm", args=[waiting.pk])}"' in body
    assert f'href="{reverse("supervision_detail", args=[locked.pk])}"' in body
    client.force_login(rel.supervisor)
    body = client.get(reverse("supervision_home")).content.decode()
    assert "Waiting for the other person to confirm" in body
    assert body.count(f'href="{reverse("supervision_detail", args=[waiting.pk])}"') == 2


def _session_rows(body: str) -> list[str]:
    import re

    rows = re.findall(r'<li><a href="/supervision/\d+/">(.*?)</li>', body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_each_party_sees_the_sessions_with_the_other_person_named(client):
    supervisee = UserFactory(display_name="Nia Newcomer")
    supervisor = UserFactory(display_name="Sam Supervisor")
    rel = make_relationship(supervisee, supervisor)
    make_session(rel, locked=True, held_on=date(2026, 11, 2), duration=50)
    proposed = make_relationship(supervisee, status="proposed", kind="restorative")
    client.force_login(supervisee)
    page = client.get(reverse("supervision_home")).content.decode()
    as_supervisee = _session_rows(page)
    # The relationships table: each row links to its agreement, named for the other person.
    assert f'href="{reverse("supervision_relationship", args=[rel.pk])}">Sam Supervisor</a>' in page
    assert f'href="{reverse("supervision_relationship", args=[proposed.pk])}"' in page
    assert page.count("Waiting for a reply") == 1 and "Due by" in page
    client.force_login(supervisor)
    as_supervisor = _session_rows(client.get(reverse("supervision_home")).content.decode())
    assert as_supervisee == [
        "Clinical supervision, 2 November 2026 · Sam Supervisor · One-to-one · 50 minutes"
        " · Confirmed by both"
    ]
    assert as_supervisor == [
        "Clinical supervision, 2 November 2026 · Nia Newcomer · One-to-one · 50 minutes"
        " · Confirmed by both"
    ]
    # A supervisor who has since erased their account is "a former supervisor".
    rel.supervisor = None
    rel.save(update_fields=["supervisor"])
    client.force_login(supervisee)
    rows = _session_rows(client.get(reverse("supervision_home")).content.decode())
    assert rows == [
        "Clinical supervision, 2 November 2026 · A former supervisor · One-to-one · 50 minutes"
        " · Confirmed by both"
    ]


def test_session_pages_are_pinned(client, django_assert_num_queries):
    rel = make_relationship()
    earlier = make_session(rel, locked=True, held_on=timezone.localdate() - timedelta(days=40))
    make_action(earlier)
    session = make_session(rel, actions=2)
    checkins.checkin_save(
        supervisee=rel.supervisee,
        session=session,
        workload=3,
        emotional_impact=3,
        support=3,
        share_with_supervisor=True,
    )
    sessions.addendum_add(actor=rel.supervisor, session=earlier, text="A note.")
    client.force_login(rel.supervisor)
    # session, actions (own and carried over), check-in, themes, attendees
    body = pinned(
        client, reverse("supervision_detail", args=[session.pk]), 5, django_assert_num_queries
    )
    assert "Open actions carried over" in body and "Check-in shared with you" in body
    # ... and addenda on a locked record
    body = pinned(
        client, reverse("supervision_detail", args=[earlier.pk]), 6, django_assert_num_queries
    )
    assert "A note." in body
    # session, themes offered, actions, attendees, themes chosen
    pinned(client, reverse("supervision_edit", args=[session.pk]), 5, django_assert_num_queries)
    # session, actions, themes
    pinned(client, reverse("supervision_confirm", args=[session.pk]), 3, django_assert_num_queries)
    pinned(client, reverse("supervision_new"), 1, django_assert_num_queries)
    # relationship, themes, carried-over actions
    url = reverse("supervision_new") + f"?relationship={rel.pk}"
    assert "Open actions from earlier sessions" in pinned(client, url, 3, django_assert_num_queries)
    client.force_login(rel.supervisee)
    pinned(client, reverse("supervision_checkin", args=[session.pk]), 2, django_assert_num_queries)
    body = pinned(
        client, reverse("supervision_confirm", args=[session.pk]), 3, django_assert_num_queries
    )
    assert "Yes, confirm it" in body and SENTINEL in body  # the record, to confirm it


def test_other_pages_are_pinned(client, django_assert_num_queries):
    rel = make_relationship()
    client.force_login(rel.supervisee)
    pinned(client, reverse("supervision_relationship", args=[rel.pk]), 1, django_assert_num_queries)
    pinned(client, reverse("supervision_relationship_new"), 0, django_assert_num_queries)
    pinned(client, reverse("supervision_calendar_settings"), 1, django_assert_num_queries)
    # community sessions attended
    pinned(client, reverse("supervision_export"), 1, django_assert_num_queries)
    make_session(rel, locked=True)
    # sessions, their themes, community sessions attended, the audit row
    for fmt in ("csv", "pdf"):
        url = reverse("supervision_export") + f"?format={fmt}&summaries=on"
        pinned(client, url, 4, django_assert_num_queries)


def test_the_dashboard_panel_costs_nothing_without_supervision_and_one_query_with_it(
    django_assert_num_queries,
):
    rf = RequestFactory()
    request = rf.get("/dashboard/")
    request.user = UserFactory()
    supervision_dashboard_panel(request)  # the first look is cached
    with django_assert_num_queries(0):
        assert supervision_dashboard_panel(request) is None
    rel = make_relationship(supervisee=request.user)  # made directly: forget the cached flag
    from reflection.supervision.panels import forget_party_flag

    forget_party_flag(request.user.pk)
    make_action(make_session(rel, locked=True))
    supervision_dashboard_panel(request)
    with django_assert_num_queries(1):
        panel = supervision_dashboard_panel(request)
    assert panel["template"] == "reflection/supervision/dashboard_panel.html"
    assert [a.text for a in panel["context"]["actions"]] == [f"Read the lesson. {SENTINEL}"]


# --- the organisation view ----------------------------------------------------------------------


def organisation_with(n: int):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    today = timezone.localdate()
    for i in range(n):
        member = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
        rel = make_relationship(member, started_on=today - timedelta(weeks=30))
        session = make_session(rel, held_on=today - timedelta(weeks=3 if i % 2 else 9), locked=True)
        make_action(session)
        with zeal_context():  # each person's check-in is a request of its own
            checkins.checkin_save(
                supervisee=member,
                session=make_session(rel, held_on=today - timedelta(days=1)),
                workload=1,
                emotional_impact=1,
                support=1,
                notes=f"Check-in {SENTINEL}",
                share_with_supervisor=True,
            )
    return organisation, admin


@pytest.mark.parametrize("n", [1, 20])
def test_the_organisation_view_shows_frequency_and_never_content(
    client, n, django_assert_num_queries
):
    organisation, admin = organisation_with(n)
    client.force_login(admin)
    url = reverse("supervision_organisation", args=[organisation.slug])
    # organisation, members with their figures, sessions by type
    body = pinned(client, url, 3, django_assert_num_queries)
    assert "Sessions in the last 12 months by type" in body
    assert SENTINEL not in body and "hard week" not in body and "Read the lesson" not in body
    assert body.count("Within frequency") == n and "Clinical supervision" in body


def test_the_organisation_view_pages_by_keyset(client, django_assert_num_queries):
    organisation, admin = organisation_with(0)
    for _ in range(55):
        MembershipFactory(organisation=organisation, role=Role.PRACTITIONER)
    client.force_login(admin)
    url = reverse("supervision_organisation", args=[organisation.slug])
    first = client.get(url)
    assert len(first.context["members"]) == 50 and first.context["page"].next_cursor
    with django_assert_num_queries(3):
        second = client.get(url, {"after": first.context["page"].next_cursor})
    names = {m.name for m in first.context["members"]} | {m.name for m in second.context["members"]}
    assert len(second.context["members"]) == 6 and len(names) == 56  # the admin is a member


def test_the_organisation_view_is_for_its_own_admins_only(client):
    organisation, _admin = organisation_with(1)
    url = reverse("supervision_organisation", args=[organisation.slug])
    other_admin = MembershipFactory(role=Role.ORG_ADMIN).user
    member = organisation.memberships.filter(role=Role.PRACTITIONER).first().user
    for person in (other_admin, member, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_frequency_by_member_is_aggregated_in_the_database(django_assert_num_queries):
    organisation = OrganisationFactory()
    today = date(2026, 3, 2)
    within, overdue, none = (MembershipFactory(organisation=organisation).user for _ in range(3))
    rel = make_relationship(within, started_on=date(2025, 6, 1))
    make_session(rel, held_on=date(2026, 2, 1), duration=50, locked=True)
    make_session(rel, held_on=date(2025, 1, 1), duration=90, locked=True)  # over a year ago
    make_relationship(within, kind="safeguarding", max_weeks=12, started_on=date(2025, 6, 1))
    make_session(
        make_relationship(overdue, started_on=date(2025, 6, 1)),
        held_on=date(2025, 12, 1),
        locked=True,
    )
    make_relationship(none, status="ended", started_on=date(2025, 1, 1))
    with django_assert_num_queries(1):
        rows = {r.user_id: r for r in supervision_frequency_by_member(organisation, today=today)}
    ok = rows[within.pk]
    assert ok.status == "within" and ok.within and ok.last_session_on == date(2026, 2, 1)
    assert (ok.sessions_12_months, ok.minutes_12_months) == (1, 50)
    assert ok.kinds == ("Clinical supervision", "Safeguarding supervision") and ok.max_weeks == 6
    assert rows[overdue.pk].status == "overdue" and rows[none.pk].status == "none"
    with django_assert_num_queries(1):
        by_type = sessions_by_type(organisation, since=date(2025, 6, 1))
    assert [(r["relationship__kind"], r["sessions"], r["minutes"]) for r in by_type] == [
        ("clinical", 2, 110)
    ]


def test_error_summary_links_reach_the_first_choice_of_a_group(client):
    rel = make_relationship()
    client.force_login(rel.supervisor)
    response = client.post(reverse("supervision_new") + f"?relationship={rel.pk}", {})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_held_on"' in body and 'id="id_held_on"' in body
    assert 'href="#id_functions_0"' not in body  # functions are checked by the service later
    client.force_login(rel.supervisee)
    response = client.post(reverse("supervision_confirm", args=[make_session(rel).pk]), {})
    body = response.content.decode()
    assert 'href="#id_decision_0"' in body and 'id="id_decision_0"' in body
