"""Report sections for confidence before and after a module. A mean is an average over people,
so it is never shown over fewer than 5 people, in an organisation or nationally, and the number
of people is shown as "<5" below 5. Reports are for a whole month or quarter; a month's mean is
not shown beside its quarter's where the people in one and not the other are 1 to 4
(subtracting one mean from the other would give their own ratings)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime

from django.utils.translation import gettext as _

from learning.language import in_reader_language
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


def _buckets(date_from: date, date_to: date) -> tuple[list[datetime], datetime, int | None]:
    """How ratings are grouped so that a period and the periods it overlaps are worked out
    together: ``(starts of each bucket, end of the last, the bucket asked for)``. A month or a
    quarter is looked at as its quarter's three months (the bucket asked for is the month, or
    None for the whole quarter); any other range is one bucket of its own."""
    quarter = quarter_of(date_from)
    months = months_of(quarter)
    if (date_from, date_to) in {(m.date_from, m.date_to) for m in [quarter, *months]}:
        asked = next(
            (i for i, m in enumerate(months) if (m.date_from, m.date_to) == (date_from, date_to)),
            None,
        )
        starts = [bounds(m.date_from, m.date_to)[0] for m in months]
        return starts, bounds(quarter.date_from, quarter.date_to)[1], asked
    start, end = bounds(date_from, date_to)
    return [start], end, 0


def _bucket_sql(starts: list[datetime]) -> tuple[str, list]:
    """A ``CASE`` giving the bucket (0, 1, …) of ``a.recorded_at``."""
    if len(starts) == 1:  # an expression, not a literal (a literal in GROUP BY is a position)
        return "(0 * a.rating)", []
    whens = " ".join(f"WHEN a.recorded_at < %s THEN {i}" for i in range(len(starts) - 1))
    return f"CASE {whens} ELSE {len(starts) - 1} END", [sql_datetime(s) for s in starts[1:]]


def _by_outcome_person(starts, end, members) -> list[tuple]:
    """(module title, outcome text, outcome id, person, bucket, pairs, sum before, sum after)
    for each "after" rating of a member joined to the same person's "before" rating."""
    from wagtail.models import Page

    from modules.models import LearningOutcome

    members_sql, members_params = sql_of(members)
    bucket, bucket_params = _bucket_sql(starts)
    sql = (
        f"SELECT p.title, o.text, a.outcome_id, a.user_id, {bucket}, COUNT(*), SUM(b.rating), "
        f"SUM(a.rating) {_pair_sql()} JOIN {LearningOutcome._meta.db_table} o "
        f"ON o.id = a.outcome_id JOIN {Page._meta.db_table} p ON p.id = a.module_id "
        "WHERE a.phase = 'after' AND a.recorded_at >= %s AND a.recorded_at < %s "
        f"AND a.user_id IN ({members_sql}) "
        f"GROUP BY p.title, o.text, a.outcome_id, a.user_id, {bucket} "
        "ORDER BY p.title, a.outcome_id"
    )
    params = [*bucket_params, sql_datetime(starts[0]), sql_datetime(end), *members_params]
    return run_sql(sql, [*params, *bucket_params])


def _by_topic_person(starts, end) -> list[tuple]:
    """(topic name, person, bucket, pairs, sum before, sum after): one row a person a bucket.
    The topic's name is its Welsh one for a Welsh reader where it has one."""
    through = ModulePage.topics.through._meta.db_table
    bucket, bucket_params = _bucket_sql(starts)
    sql = (
        "SELECT CASE WHEN %s AND t.name_cy <> '' THEN t.name_cy ELSE t.name END, "
        f"a.user_id, {bucket}, COUNT(*), SUM(b.rating), SUM(a.rating) "
        f"{_pair_sql()} JOIN {through} mt ON mt.modulepage_id = a.module_id "
        f"JOIN {Topic._meta.db_table} t ON t.id = mt.topic_id "
        "WHERE a.phase = 'after' AND a.recorded_at >= %s AND a.recorded_at < %s "
        f"GROUP BY 1, a.user_id, {bucket} ORDER BY 1"
    )
    welsh = in_reader_language("en", "cy") == "cy"  # the reader's language, chosen in one place
    params = [welsh, *bucket_params, sql_datetime(starts[0]), sql_datetime(end), *bucket_params]
    return run_sql(sql, params)


def _mean(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _shown_months(people: set, month_people: list[set]) -> list[bool]:
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


def protected_means(
    rows: list[tuple[Hashable, int, int, int, int, int]], *, buckets: int, asked: int | None
) -> list[tuple[Hashable, int, list]]:
    """``rows`` of (key, person, bucket, pairs, sum before, sum after) as ``(key, people, [mean
    before, mean after, mean change])`` for the bucket asked for (None: all of them), each mean
    ``HIDDEN`` where it is over fewer than 5 people or where it and the others of its quarter
    would differ by 1 to 4 people. The one rule for the organisation and national tables."""
    groups: dict[Hashable, list[dict]] = {}
    for key, person, bucket, pairs, before, after in rows:
        groups.setdefault(key, [{} for _b in range(buckets)])[int(bucket)][person] = (
            pairs,
            before,
            after,
        )
    out = []
    for key, by_bucket in groups.items():
        month_people = [set(b) for b in by_bucket]
        everyone = set().union(*month_people)
        if asked is None:
            people, cells = everyone, [v for b in by_bucket for v in b.values()]
            ok = mean_shown(len(people))
        else:
            people, cells = month_people[asked], list(by_bucket[asked].values())
            ok = _shown_months(everyone, month_people)[asked] if buckets > 1 else None
            if ok is None:
                ok = mean_shown(len(people))
        if not people:
            continue
        pairs = sum(c[0] for c in cells)
        if ok and pairs:
            before = sum(c[1] for c in cells) / pairs
            after = sum(c[2] for c in cells) / pairs
            means = [_mean(before), _mean(after), _mean(after - before)]
        else:
            means = [HIDDEN, HIDDEN, HIDDEN]
        out.append((key, len(people), means))
    return out


def _people_shown(people: int) -> int | str:
    """An organisation's count of people: exact from 5, "<5" below (its admin knows its
    members, so the count is not rounded)."""
    shown = suppress_count(people)
    return people if shown != "<5" else shown


def _confidence_table(
    *, caption: str, first_header: str, rows: list, chart_title: str, chart_values: list, **extra
) -> ReportTable:
    """The one shape of a confidence table, organisation or national: people who rated before
    and after, the means and the chart of the mean change."""
    return ReportTable(
        caption=caption,
        headers=[
            first_header,
            _("People who rated before and after"),
            _("Mean before (1 to 5)"),
            _("Mean after (1 to 5)"),
            _("Mean change"),
        ],
        rows=rows,
        chart=ChartSpec(title=chart_title, labels=[r[0] for r in rows], values=chart_values),
        **extra,
    )


def confidence_change(organisation, *, date_from: date, date_to: date, **_kw) -> ReportTable:
    starts, end, asked = _buckets(date_from, date_to)
    data = _by_outcome_person(starts, end, member_ids(organisation))
    rows = [
        [f"{title}: {text}", _people_shown(people), *means]
        for (title, text, _outcome), people, means in protected_means(
            [((t, x, o), person, b, n, s_b, s_a) for t, x, o, person, b, n, s_b, s_a in data],
            buckets=len(starts),
            asked=asked,
        )
    ]
    return _confidence_table(
        caption=_("Confidence before and after, by learning outcome"),
        first_header=_("Learning outcome"),
        rows=rows,
        chart_title=_("Mean change in confidence by learning outcome"),
        chart_values=[r[4] for r in rows],
        note=_("Means are hidden where fewer than 5 people rated, so nobody's own ratings show."),
    )


def confidence_national(*, date_from: date, date_to: date, group_by: str = "kind"):
    starts, end, asked = _buckets(date_from, date_to)
    rows, chart_values = [], []
    for topic, people, means in protected_means(
        _by_topic_person(starts, end), buckets=len(starts), asked=asked
    ):
        rows.append([topic, suppress_count(people), *means])
        chart_values.append(means[2])
    return _confidence_table(
        caption=_("Confidence before and after, by topic"),
        first_header=_("Topic"),
        rows=rows,
        chart_title=_("Mean change in confidence by topic"),
        chart_values=chart_values,
        footnotes=national_footnotes(MEAN_EXPLANATION),
    )
