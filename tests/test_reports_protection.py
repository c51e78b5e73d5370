"""Small-number protection: the suppression rules, the periods national figures may be asked
for, and probes of the national page and its CSV with wrong or extreme input."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from learning import permissions
from learning.reports.forms import ReportPeriodForm
from learning.reports.periods import allowed_periods, parse_period, period_allowed
from learning.reports.suppression import (
    HIDDEN,
    SUPPRESSED,
    narrow_ranges,
    protect_counts,
    round_count,
    shown_range,
    suppress_grid,
    with_totals,
)

from .factories import UserFactory, add_to_group
from .report_factories import on_read_day


def _exposed(grid, shown, *, rows=True, cols=True):
    """Cells under 5 that subtraction pins to one value."""
    n_r, n_c = len(grid), len(grid[0])
    lines = []
    if rows:
        lines += [((r, n_c - 1), [(r, c) for c in range(n_c - 1)]) for r in range(n_r)]
    if cols:
        lines += [((n_r - 1, c), [(r, c) for r in range(n_r - 1)]) for c in range(n_c)]
    ranges = narrow_ranges(
        {(r, c): shown_range(shown[r][c]) for r in range(n_r) for c in range(n_c)}, lines
    )
    return [k for k, (lo, hi) in ranges.items() if lo == hi and 0 < grid[k[0]][k[1]] < 5]


def test_zeros_are_shown_and_never_hide_another_cell():
    shown = suppress_grid(with_totals([[3, 0, 10]]), row_totals=True)
    assert shown[0][:2] == [SUPPRESSED, 0]
    assert shown[0][2] == HIDDEN  # the next smallest non-zero cell, not the zero


def test_one_suppressed_cell_in_a_row_forces_a_second():
    shown = suppress_grid([[3, 10, 12, 25]], row_totals=True)
    assert shown[0] == [SUPPRESSED, HIDDEN, 10, 25]  # 12 and 25 rounded to 5


def test_a_total_that_would_give_a_cell_away_is_hidden():
    # Only one non-zero cell beside the "<5": hiding it is not enough, as 2 + 2 + 5 = 9 and
    # "5 or more" with a total of 5 to 7 pins both; so the total is hidden too.
    shown = suppress_grid([[1, 1, 5, 7]], row_totals=True)
    assert shown[0] == [SUPPRESSED, SUPPRESSED, HIDDEN, HIDDEN]
    assert _exposed([[1, 1, 5, 7]], shown, cols=False) == []


def test_secondary_suppression_works_down_columns_and_totals_and_repeats():
    grid = with_totals([[1, 20, 30], [10, 20, 6], [40, 7, 9]])
    shown = suppress_grid(grid, row_totals=True, column_totals=True)
    for line in [*shown, *zip(*shown, strict=True)]:
        assert sum(1 for v in line if v in (SUPPRESSED, HIDDEN)) != 1
    assert _exposed(grid, shown) == []


def test_counts_are_rounded_to_the_nearest_5_after_suppression():
    assert [round_count(n) for n in (0, 5, 7, 8, 12, 13, 145)] == [0, 5, 5, 10, 10, 15, 145]
    assert suppress_grid([[6, 8, 14]], row_totals=True) == [[5, 10, 15]]
    assert shown_range(5) == (5, 7) and shown_range(10) == (8, 12)


def test_figures_shared_by_two_tables_are_hidden_in_both():
    # The same total in two tables: hidden in one means hidden in the other.
    values = {"a1": 2, "a2": 9, "total": 11, "b1": 6, "b2": 5}
    lines = [("total", ["a1", "a2"]), ("total", ["b1", "b2"])]
    shown = protect_counts(values, lines)
    assert shown["a1"] == SUPPRESSED and shown["a2"] == HIDDEN
    assert shown["total"] in (HIDDEN, 10)
    ranges = narrow_ranges({k: shown_range(v) for k, v in shown.items()}, lines)
    assert ranges["a1"][0] < ranges["a1"][1]


def test_only_whole_months_and_quarters_that_have_ended_are_allowed():
    today = date(2026, 4, 2)
    assert parse_period("2026-Q1", today).date_to == date(2026, 3, 31)
    assert parse_period("2026-03", today).date_from == date(2026, 3, 1)
    for bad in ("2026-Q2", "2026-04", "2019-12", "9999-Q1", "2026-13", "2026-Q5", "x", ""):
        assert parse_period(bad, today) is None, bad
    assert not period_allowed(date(2026, 3, 1), date(2026, 3, 30), today)
    assert not period_allowed(date(2026, 3, 2), date(2026, 3, 31), today)
    assert not period_allowed(date(2026, 2, 1), date(2026, 4, 30), today)
    assert period_allowed(date(2026, 1, 1), date(2026, 3, 31), today)
    periods = allowed_periods(today)
    assert periods[0].value == "2026-Q1" and all(p.date_to < today for p in periods)


@pytest.mark.parametrize(
    "data",
    [
        {"period": "9999-Q1"},
        {"period": "2026-Q2"},
        {"period": "'; drop table"},
        {"date_from": "2026-03-01", "date_to": "2026-03-30"},
        {"date_to_day": "31", "date_to_month": "12", "date_to_year": "9999"},
    ],
)
def test_the_period_form_refuses_anything_but_a_listed_period(data):
    with on_read_day():
        form = ReportPeriodForm(data)
        assert not form.is_valid()
        assert form.dates().date_from == date(2026, 1, 1)  # the default: the last quarter


def test_a_day_range_matching_a_listed_period_is_accepted():
    with on_read_day():
        form = ReportPeriodForm({"date_from": "2026-02-01", "date_to": "2026-02-28"})
        assert form.is_valid() and form.chosen().value == "2026-02"


def test_the_period_form_refuses_years_that_would_overflow():
    form = ReportPeriodForm({"date_to_day": "31", "date_to_month": "12", "date_to_year": "9999"})
    assert not form.is_valid()
    assert "only given for a whole month or quarter" in str(form.errors)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "date_to_day=31&date_to_month=12&date_to_year=9999",
        "date_from_day=1&date_from_month=1&date_from_year=0001",
        "period=9999-Q4",
        "period=2026-00",
        "date_from=2026-03-01&date_to=2026-03-02",
        "group_by=nonsense&period=2026-Q1",
    ],
)
def test_national_page_probes_are_form_errors_never_a_500(client, query):
    client.force_login(add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS))
    with on_read_day():
        for section in ("trained_services", "supervision", "confidence", "community"):
            response = client.get(f"{reverse('report_national')}?section={section}&{query}")
            assert response.status_code == 200, (section, query)
            body = response.content.decode()
            if "group_by" not in query:
                assert "There is a problem" in body, query


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "date_to_day=31&date_to_month=12&date_to_year=9999",
        "date_from=2026-03-01&date_to=2026-03-02",
        "date_from=2026-03-02&date_to=2026-03-31",
        "period=2026-Q2",
        "period=9999-Q4",
    ],
)
def test_an_organisation_page_asked_for_a_day_range_is_a_form_error(client, query):
    from .report_factories import on_data_day, populated_organisation

    with on_data_day():
        organisation, admin, *_ = populated_organisation(1)
    client.force_login(admin)
    url = reverse("report_organisation", args=[organisation.slug])
    with on_read_day():
        for section in ("training", "confidence", "community"):
            response = client.get(f"{url}?section={section}&{query}")
            assert response.status_code == 200
            body = response.content.decode()
            assert "There is a problem" in body, query
            assert "From 1 January 2026 to 31 March 2026." in body  # the last quarter


def test_a_period_not_on_the_list_is_explained_on_its_field():
    with on_read_day():
        form = ReportPeriodForm({"period": "2026-Q2"})
        assert not form.is_valid()
        assert form.errors["period"] == ["Choose a month or quarter from the list."]
        listed = ReportPeriodForm({"period": "2026-Q1"})
        assert listed.is_valid() and listed.chosen().value == "2026-Q1"
        values = [value for _group, options in listed.period_groups for value, _l in options]
        assert values == [p.value for p in listed.allowed]
