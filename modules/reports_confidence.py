"""Report sections for confidence before and after a module. A mean is an average over people,
so it is never shown over fewer than 5 people, in an organisation or nationally. Nationally a
month's mean is also not shown beside its quarter's where the people in one and not the other
are 1 to 4 (subtracting one mean from the other would give their own ratings)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from learning.reports.helpers import (
    bounds,
    member_ids,
    national_footnotes,
    run_sql,
    sql_datetime,
    sql_of,
)
from learning.reports.periods import months_of, quarter_of
from learning.reports.registry import ChartSpec, ReportTable
from learning.reports.suppression import HIDDEN, MEAN_EXPLANATION, mean_shown, suppress_count
from modules.models import ConfidenceRating, ModulePage, Topic


def _pair_sql() -> str:
    rating = ConfidenceRating._meta.db_table
    return (
        f"FROM {rating} a JOIN {rating} b ON b.user_id = a.user_id "
        "AND b.outcome_id = a.outcome_id AND b.phase = 'before' "
    )


def _by_outcome(*, start, end, members) -> list[tuple]:
    """(module title, outcome text, outcome id, people, mean before, mean after) for each
    "after" rating in the period joined to the same person's "before" rating."""
    from wagtail.models import Page

    from modules.models import LearningOutcome

    members_sql, members_params = sql_of(members)
    sql = (
        "SELECT p.title, o.text, a.outcome_id, COUNT(DISTINCT a.user_id), AVG(b.rating), "
        f"AVG(a.rating) {_pair_sql()} JOIN {LearningOutcome._meta.db_table} o "
        f"ON o.id = a.outcome_id JOIN {Page._meta.db_table} p ON p.id = a.module_id "
        "WHERE a.phase = 'after' AND a.recorded_at >= %s AND a.recorded_at < %s "
        f"AND a.user_id IN ({members_sql}) "
        "GROUP BY p.title, o.text, a.outcome_id ORDER BY p.title, a.outcome_id"
    )
    return run_sql(sql, [sql_datetime(start), sql_datetime(end), *members_params])


def _by_topic_person_month(quarter) -> list[tuple]:
    """(topic name, person, month 0–2 of the quarter, pairs, sum before, sum after): one row a
    person a month, so that months and their quarter are worked out together."""
    start, end = bounds(quarter.date_from, quarter.date_to)
    second, third = (bounds(m.date_from, m.date_to)[0] for m in months_of(quarter)[1:])
    through = ModulePage.topics.through._meta.db_table
    month = "CASE WHEN a.recorded_at < %s THEN 0 WHEN a.recorded_at < %s THEN 1 ELSE 2 END"
    sql = (
        f"SELECT t.name, a.user_id, {month}, COUNT(*), SUM(b.rating), SUM(a.rating) "
        f"{_pair_sql()} JOIN {through} mt ON mt.modulepage_id = a.module_id "
        f"JOIN {Topic._meta.db_table} t ON t.id = mt.topic_id "
        "WHERE a.phase = 'after' AND a.recorded_at >= %s AND a.recorded_at < %s "
        f"GROUP BY t.name, a.user_id, {month} ORDER BY t.name"
    )
    bounds_params = [sql_datetime(second), sql_datetime(third)]
    return run_sql(sql, [*bounds_params, sql_datetime(start), sql_datetime(end), *bounds_params])


def _mean(value) -> float | None:
    return None if value is None else round(float(value), 2)


def confidence_change(organisation, *, date_from: date, date_to: date, **_kw) -> ReportTable:
    start, end = bounds(date_from, date_to)
    rows = []
    for title, text, _outcome, people, before, after in _by_outcome(
        start=start, end=end, members=member_ids(organisation)
    ):
        if mean_shown(people):
            means = [_mean(before), _mean(after), _mean(after - before)]
        else:
            means = [HIDDEN, HIDDEN, HIDDEN]
        rows.append([f"{title}: {text}", people, *means])
    return ReportTable(
        caption=_("Confidence before and after, by learning outcome"),
        headers=[
            _("Learning outcome"),
            _("People who rated before and after"),
            _("Mean before (1 to 5)"),
            _("Mean after (1 to 5)"),
            _("Mean change"),
        ],
        rows=rows,
        chart=ChartSpec(
            title=_("Mean change in confidence by learning outcome"),
            labels=[r[0] for r in rows],
            values=[r[4] for r in rows],
        ),
        note=_("Means are hidden where fewer than 5 people rated, so nobody's own ratings show."),
    )


def _shown_months(people: dict, month_people: list[set]) -> list[bool]:
    """Which months' means may be shown beside their quarter's (``people``: everyone in the
    quarter)."""
    quarter_shown = mean_shown(len(people))
    shown = [
        mean_shown(
            len(m),
            differences=[len(people - m)] if quarter_shown else [],
        )
        for m in month_people
    ]
    while quarter_shown:  # the months not shown, taken together, must not be 1 to 4 people
        rest = set(people)
        for m, ok in zip(month_people, shown, strict=True):
            if ok:
                rest -= m
        if mean_shown(len(rest), differences=[]) or not rest or not any(shown):
            break
        smallest = min((i for i, ok in enumerate(shown) if ok), key=lambda i: len(month_people[i]))
        shown[smallest] = False
    return shown


def confidence_national(*, date_from: date, date_to: date, group_by: str = "kind"):
    quarter = quarter_of(date_from)
    months = months_of(quarter)
    # Which month of the quarter was asked for (None: the whole quarter).
    asked = next(
        (i for i, m in enumerate(months) if (m.date_from, m.date_to) == (date_from, date_to)),
        None,
    )
    topics: dict[str, dict] = {}
    for topic, person, month, pairs, before, after in _by_topic_person_month(quarter):
        t = topics.setdefault(topic, {"people": set(), "months": [{} for _m in months]})
        t["people"].add(person)
        t["months"][int(month)][person] = (pairs, before, after)
    rows, chart_values = [], []
    for topic, t in topics.items():
        month_people = [set(m) for m in t["months"]]
        if asked is None:
            people, cells, ok = t["people"], [v for m in t["months"] for v in m.values()], None
        else:
            people, cells = month_people[asked], list(t["months"][asked].values())
            ok = _shown_months(t["people"], month_people)[asked]
        if not people:
            continue
        if ok is None:
            ok = mean_shown(len(people))
        pairs = sum(c[0] for c in cells)
        if ok and pairs:
            before = sum(c[1] for c in cells) / pairs
            after = sum(c[2] for c in cells) / pairs
            means = [_mean(before), _mean(after), _mean(after - before)]
        else:
            means = [HIDDEN, HIDDEN, HIDDEN]
        rows.append([topic, suppress_count(len(people)), *means])
        chart_values.append(means[2])
    return ReportTable(
        caption=_("Confidence before and after, by topic"),
        headers=[
            _("Topic"),
            _("People who rated before and after"),
            _("Mean before (1 to 5)"),
            _("Mean after (1 to 5)"),
            _("Mean change"),
        ],
        rows=rows,
        chart=ChartSpec(
            title=_("Mean change in confidence by topic"),
            labels=[r[0] for r in rows],
            values=chart_values,
        ),
        footnotes=national_footnotes(MEAN_EXPLANATION),
    )
