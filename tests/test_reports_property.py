"""Property test: whatever the data, no count under 5 and no single person's ratings can be
worked out from the national reports or an organisation's, by subtraction between periods (a
month and its quarter), within a table from its totals, or between filters (kind of service and
region).

The attacker knows what each shown figure means ("<5" is 1 to 4, "Hidden" is 5 or more, a
rounded count is within 2 of the real one, 0 is nobody) and subtracts along every line that
adds up, over and over (``narrow_ranges``). A figure is worked out if that leaves one value."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.models import OrganisationKind, Region
from learning.reports.periods import months_of, quarter_period
from learning.reports.registry import get_section
from learning.reports.suppression import narrow_ranges, shown_range
from modules.models import ConfidenceRating, Enrolment, LearningOutcome, Topic

from .factories import MembershipFactory, OrganisationFactory
from .module_factories import make_module
from .report_factories import on_read_day

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

QUARTER = quarter_period(2026, 1)
PERIODS = [QUARTER, *months_of(QUARTER)]
KINDS = [OrganisationKind.MMHS, OrganisationKind.VCSE]
REGIONS = [Region.LONDON, Region.NORTH_WEST]

organisations = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from(REGIONS)), min_size=1, max_size=8
)
# (organisation index, month 1–3, topic 0–1) a completion; (org, month, before, after) a rating
completions = st.lists(
    st.tuples(st.integers(0, 7), st.integers(1, 3), st.integers(0, 1)), max_size=60
)
ratings = st.lists(
    st.tuples(st.integers(0, 7), st.integers(1, 3), st.integers(1, 5), st.integers(1, 5)),
    max_size=25,
)


def _when(month: int, n: int) -> datetime:
    return datetime(2026, month, 1 + n % 27, 12, tzinfo=UTC)


def _pinned(ranges, key) -> bool:
    lo, hi = ranges[key]
    return lo >= hi


def _trained_services_checks(tables, truth):
    """``tables[(period, group_by)]`` as shown; ``truth[period][(topic, group_by, group)]`` the
    set of services."""
    ranges_by_period = {}
    for period in PERIODS:
        shown, lines = {}, []
        for group_by in ("kind", "region"):
            table = tables[(period.value, group_by)]
            groups = table.headers[1:-1]
            for row in table.rows:
                topic = row[0]
                cells = [(group_by, topic, g) for g in groups]
                for key, value in zip(cells, row[1:-1], strict=True):
                    shown[key] = value
                shown[("total", topic)] = row[-1]  # the same figure in both tables
                lines.append((("total", topic), cells))
        ranges = narrow_ranges({k: shown_range(v) for k, v in shown.items()}, lines)
        for key in shown:
            true = len(truth[period.value].get(key, set()))
            assert not (0 < true < 5 and _pinned(ranges, key)), (period.value, key, shown)
        ranges_by_period[period.value] = ranges
    quarter = ranges_by_period[QUARTER.value]
    for month in PERIODS[1:]:
        for key, (m_lo, m_hi) in ranges_by_period[month.value].items():
            q_lo, q_hi = quarter[key]
            lo, hi = max(0, q_lo - m_hi), q_hi - m_lo
            in_quarter_only = truth[QUARTER.value].get(key, set()) - truth[month.value].get(
                key, set()
            )
            assert not (0 < len(in_quarter_only) < 5 and lo >= hi), (month.value, key)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(organisations=organisations, completions=completions, ratings=ratings)
def test_no_small_number_or_persons_rating_can_be_worked_out(organisations, completions, ratings):
    with transaction.atomic():
        _check(organisations, completions, ratings)
        transaction.set_rollback(True)


def _check(org_specs, completion_specs, rating_specs):
    topics = [Topic.objects.create(name=f"Topic {i}", slug=f"topic-{i}") for i in range(2)]
    modules = [make_module(lessons=1, outcomes=1, topic=t) for t in topics]
    orgs = [OrganisationFactory(kind=k, region=r) for k, r in org_specs]
    truth: dict[str, dict] = {p.value: {} for p in PERIODS}
    for n, (org_i, month, topic_i) in enumerate(completion_specs):
        org = orgs[org_i % len(orgs)]
        person = MembershipFactory(organisation=org, started_on=datetime(2025, 1, 1).date()).user
        when = _when(month, n)
        Enrolment.objects.create(
            user=person, module=modules[topic_i], started_at=when, completed_at=when
        )
        for period in PERIODS:
            if period.date_from <= when.date() <= period.date_to:
                for group_by, group in (("kind", org.kind), ("region", org.region)):
                    label = (
                        OrganisationKind(group).label if group_by == "kind" else Region(group).label
                    )
                    key = (group_by, topics[topic_i].name, str(label))
                    truth[period.value].setdefault(key, set()).add(org.pk)
                    truth[period.value].setdefault(("total", topics[topic_i].name), set()).add(
                        org.pk
                    )
    raters: dict[str, dict] = {p.value: {} for p in PERIODS}
    org_raters: dict[int, dict[str, dict]] = {}
    outcome = LearningOutcome.objects.filter(page=modules[0]).first()
    for n, (org_i, month, before, after) in enumerate(rating_specs):
        person = MembershipFactory(organisation=orgs[org_i % len(orgs)]).user
        when = _when(month, n)
        ConfidenceRating.objects.create(
            user=person, module=modules[0], outcome=outcome, phase="before", rating=before
        )
        ConfidenceRating.objects.create(
            user=person,
            module=modules[0],
            outcome=outcome,
            phase="after",
            rating=after,
            recorded_at=when,
        )
        for period in PERIODS:
            if period.date_from <= when.date() <= period.date_to:
                raters[period.value][person.pk] = after - before
                org = orgs[org_i % len(orgs)].pk
                org_raters.setdefault(org, {p.value: {} for p in PERIODS})[period.value][
                    person.pk
                ] = after - before

    with on_read_day():
        tables = {}
        for period in PERIODS:
            for group_by in ("kind", "region"):
                tables[(period.value, group_by)] = get_section(
                    "trained_services", national=True
                ).build_national(
                    date_from=period.date_from, date_to=period.date_to, group_by=group_by
                )
        _trained_services_checks(tables, truth)

        confidence = {
            period.value: get_section("confidence", national=True).build_national(
                date_from=period.date_from, date_to=period.date_to
            )
            for period in PERIODS
        }
        organisation_confidence = {
            org.pk: {
                period.value: get_section("confidence", national=False).build(
                    org, date_from=period.date_from, date_to=period.date_to
                )
                for period in PERIODS
            }
            for org in orgs
        }
    for org in orgs:
        _organisation_confidence_checks(
            organisation_confidence[org.pk],
            org_raters.get(org.pk, {p.value: {} for p in PERIODS}),
        )
    shown_means = {
        value: {row[0] for row in table.rows if isinstance(row[4], float)}
        for value, table in confidence.items()
    }
    topic = topics[0].name
    for value, topics_shown in shown_means.items():
        if topic in topics_shown:  # a mean is over 5 or more people
            assert len(raters[value]) >= 5, value
    for month in PERIODS[1:]:
        if topic in shown_means[QUARTER.value] and topic in shown_means[month.value]:
            others = set(raters[QUARTER.value]) - set(raters[month.value])
            assert len(others) == 0 or len(others) >= 5, month.value


def _organisation_confidence_checks(tables, raters):
    """An organisation's admin sees a mean only over 5 or more people, the number of people
    only from 5 ("<5" below), and never a month's mean beside its quarter's where 1 to 4
    people rated in the one and not the other."""
    shown = {}
    for value, table in tables.items():
        assert len(table.rows) <= 1, value  # one learning outcome
        for row in table.rows:
            people = len(raters[value])
            assert row[1] == (people if people >= 5 else "<5"), (value, row)
            if isinstance(row[4], float):
                assert people >= 5, value
                shown[value] = row
    for month in PERIODS[1:]:
        if QUARTER.value in shown and month.value in shown:
            others = set(raters[QUARTER.value]) - set(raters[month.value])
            assert len(others) == 0 or len(others) >= 5, month.value
    for value in tables:
        if not raters[value]:
            assert tables[value].rows == [], value
