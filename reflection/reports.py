"""Report sections for supervision: per member, the last session, whether it is within the
agreed frequency and sessions in twelve months; sessions by type. Dates, durations and types
only: never summaries, check-ins or action text."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.models import Membership
from learning.pagination import keyset_page
from learning.reports.helpers import (
    active_membership_q,
    group_heading,
    grouped_tables,
    groups,
    national_footnotes,
)
from learning.reports.registry import ChartSpec, ReportSection, ReportTable, register_section
from reflection.supervision.models import SupervisionRelationship, SupervisionSession
from reflection.supervision.selectors_org import member_frequency_queryset, member_frequency_rows

Rel = SupervisionRelationship
STATUS_LABELS = {
    "within": gettext_lazy("Within the agreed frequency"),
    "overdue": gettext_lazy("Overdue"),
    "none": gettext_lazy("No active supervision"),
}


def supervision_by_member(
    organisation, *, date_from: date, date_to: date, after=None, limit=None
) -> ReportTable:
    """As at the end of the period (sessions in the twelve months before it)."""
    qs = member_frequency_queryset(organisation, today=date_to)
    order = ("display_name", "email", "pk")
    if limit is None:
        users, cursor, previous = list(qs.order_by(*order)), None, False
    else:
        page = keyset_page(qs, order=order, cursor=after, size=limit)
        users, cursor, previous = page.items, page.next_cursor, page.has_previous
    rows = [
        [
            m.name,
            m.last_session_on,
            str(STATUS_LABELS[m.status]),
            m.sessions_12_months,
            m.minutes_12_months,
            ", ".join(m.kinds),
        ]
        for m in member_frequency_rows(users, today=date_to)
    ]
    return ReportTable(
        caption=_("Supervision by member"),
        headers=[
            _("Member"),
            _("Last session"),
            _("Agreed frequency"),
            _("Sessions in 12 months"),
            _("Minutes in 12 months"),
            _("Types of supervision"),
        ],
        rows=rows,
        next_cursor=cursor,
        has_previous=previous,
        note=_("As a supervisee, as at the end of the period."),
    )


def supervision_by_type(organisation, *, date_from: date, date_to: date, **_kw) -> ReportTable:
    members = Membership.objects.active().filter(
        organisation=organisation, user_id=OuterRef("relationship__supervisee_id")
    )
    kinds = dict(Rel.Kind.choices)
    formats = dict(SupervisionSession.Format.choices)
    rows = [
        [
            str(kinds.get(r["relationship__kind"], r["relationship__kind"])),
            str(formats.get(r["format"], r["format"])),
            r["sessions"],
            r["minutes"] or 0,
        ]
        for r in SupervisionSession.objects.filter(
            Exists(members), held_on__gte=date_from, held_on__lte=date_to
        )
        .values("relationship__kind", "format")
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("relationship__kind", "format")
    ]
    return ReportTable(
        caption=_("Supervision sessions by type"),
        headers=[_("Type of supervision"), _("Format"), _("Sessions"), _("Minutes")],
        rows=rows,
        chart=ChartSpec(
            title=_("Supervision sessions by type and format"),
            labels=[f"{r[0]} ({r[1]})" for r in rows],
            values=[r[2] for r in rows],
        ),
    )


def supervision_national(*, date_from: date, date_to: date, group_by: str = "kind"):
    """Supervisees with active supervision on the end date, within or outside the agreed
    frequency, by the kind or region of their organisation (one query)."""
    org = "supervisee__memberships__organisation"
    per_person = (
        Rel.objects.filter(
            active_membership_q("supervisee__memberships", on=date_to),
            status=Rel.Status.ACTIVE,
            started_on__lte=date_to,
        )
        .values("supervisee_id", f"{org}__kind", f"{org}__region")
        .annotate(
            max_weeks=Min("frequency_max_weeks"),
            first_started=Min("started_on"),
            last=Max("sessions__held_on", filter=Q(sessions__held_on__lte=date_to)),
        )
        .order_by()
    )
    counts: dict[tuple[str, str, str], int] = {}
    for r in per_person:
        base = max(d for d in (r["last"], r["first_started"]) if d is not None)
        status = "within" if date_to <= base + timedelta(weeks=r["max_weeks"]) else "overdue"
        key = (status, r[f"{org}__kind"], r[f"{org}__region"])
        counts[key] = counts.get(key, 0) + 1
    if group_by not in ("kind", "region"):
        group_by = "kind"
    # Protected as statuses × groups (with totals), then turned round: a row a group.
    by_status = grouped_tables(counts, rows=["within", "overdue"], column_totals=True)[group_by]
    shown = [list(row) for row in zip(*by_status, strict=True)]
    labels = [label for _v, label in groups(group_by)] + [_("Total")]
    rows = [[label, *cells] for label, cells in zip(labels, shown, strict=True)]
    return ReportTable(
        caption=_("Supervisees within the agreed supervision frequency"),
        headers=[
            group_heading(group_by),
            _("Within the agreed frequency"),
            _("Overdue"),
            _("Total"),
        ],
        rows=rows,
        chart=ChartSpec(
            title=_("Supervisees within the agreed frequency"),
            labels=labels[:-1],
            values=[r[1] for r in rows[:-1]],
        ),
        total_row=True,
        note=_("People with active supervision on the end date, as supervisees."),
        footnotes=national_footnotes(),
    )


register_section(
    ReportSection(
        key="supervision",
        title=gettext_lazy("Supervision by member"),
        order=20,
        build=supervision_by_member,
        build_national=supervision_national,
        national_title=gettext_lazy("Supervision within frequency"),
    )
)
register_section(
    ReportSection(
        key="supervision_types",
        title=gettext_lazy("Supervision by type"),
        order=21,
        build=supervision_by_type,
    )
)
