"""Helpers the sections in each app's ``reports.py`` share: who the members are, the period as
datetimes, and national grids grouped by kind or region with small numbers suppressed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, IntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import Membership, Organisation, OrganisationKind, Region
from learning.reports.registry import GROUP_BY_CHOICES, ChartSpec, ReportTable
from learning.reports.suppression import EXPLANATION, protect_groupings


def member_ids(organisation: Organisation, *, on: date | None = None) -> QuerySet:
    """Ids of the organisation's active members, as a subquery."""
    return (
        Membership.objects.active(on=on)
        .filter(organisation=organisation)
        .order_by()
        .values("user_id")
        .distinct()
    )


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The period as ``[start, end)`` aware datetimes (so indexes on timestamps are used)."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def active_membership_q(prefix: str, *, on: date) -> Q:
    """Active on ``on``, for a membership reached through ``prefix``
    (e.g. ``user__memberships``)."""
    return Q(**{f"{prefix}__started_on__lte": on}) & (
        Q(**{f"{prefix}__ended_on__isnull": True}) | Q(**{f"{prefix}__ended_on__gt": on})
    )


def count_subquery(qs: QuerySet, group_field: str) -> Coalesce:
    """``COUNT(*)`` of a correlated queryset as an integer annotation (0 when empty)."""
    return Coalesce(
        Subquery(qs.values(group_field).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def groups(group_by: str) -> list[tuple[str, str]]:
    if group_by not in GROUP_BY_CHOICES:
        group_by = "kind"
    choices = OrganisationKind.choices if group_by == "kind" else Region.choices
    return [(value, str(label)) for value, label in choices]


def group_heading(group_by: str) -> str:
    return _("Region") if group_by == "region" else _("Kind of service")


GROUP_KEY_INDEX = {"kind": 1, "region": 2}


def grouped_tables(
    counts: dict[tuple[object, str, str], int], *, rows: list, column_totals: bool
) -> dict[str, list[list[int | str]]]:
    """``counts`` keyed ``(row, kind, region)`` as a protected table for each grouping (both
    are protected together, as their totals are the same figures)."""
    return protect_groupings(
        counts,
        rows=rows,
        groupings={name: [value for value, _l in groups(name)] for name in GROUP_BY_CHOICES},
        group_of=GROUP_KEY_INDEX,
        column_totals=column_totals,
    )


def national_footnotes(*extra: str) -> list[str]:
    return [str(EXPLANATION), *(str(e) for e in extra)]


def national_grid(
    *,
    caption: str,
    first_header: str,
    row_labels: list[tuple[object, str]],
    counts: dict[tuple[object, str, str], int],
    group_by: str,
    chart_title: str,
    column_totals: bool = False,
    note: str = "",
) -> ReportTable:
    """Rows × groups of counts (``counts`` keyed ``(row, kind, region)``) with a total column
    (and a total row if ``column_totals``), protected against small numbers being worked out;
    the chart shows each row's total as shown in the table."""
    if group_by not in GROUP_BY_CHOICES:
        group_by = "kind"
    cols = groups(group_by)
    labels = [label for _, label in row_labels]
    shown = grouped_tables(
        counts, rows=[key for key, _ in row_labels], column_totals=column_totals
    )[group_by]
    if column_totals and row_labels:
        labels.append(_("Total"))
    else:
        shown = shown[: len(row_labels)]
    rows = [[label, *cells] for label, cells in zip(labels, shown, strict=True)]
    chart_rows = rows[:-1] if column_totals and rows else rows
    return ReportTable(
        caption=caption,
        headers=[first_header, *[label for _v, label in cols], _("Total")],
        rows=rows,
        chart=ChartSpec(
            title=chart_title,
            labels=[r[0] for r in chart_rows],
            values=[r[-1] for r in chart_rows],
        ),
        note=note,
        total_row=column_totals and bool(row_labels),
        footnotes=national_footnotes(),
    )


# --- Plain SQL for the few aggregates the ORM can only write as correlated subqueries ------
# (a pair of rows from the same table, or rows with no foreign key between them). A join is
# one pass over the rows; a correlated subquery runs once per row and, on PostgreSQL, pushes
# the estimated cost over the JIT threshold. Both SQLite and PostgreSQL run this SQL.


def sql_of(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def sql_datetime(value: datetime):
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(value)


def sql_date(value: date):
    from django.db import connection

    return connection.ops.adapt_datefield_value(value)


def run_sql(sql: str, params: tuple | list) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def keyset_rows(qs: QuerySet, order: tuple[str, ...], after: str | None, limit: int | None):
    """``(items, next_cursor, has_previous)``: every row when ``limit`` is None (exports),
    else one keyset page."""
    from learning.pagination import keyset_page

    if limit is None:
        return list(qs.order_by(*order)), None, False
    page = keyset_page(qs, order=order, cursor=after, size=limit)
    return page.items, page.next_cursor, page.has_previous
