"""Report sections for the community: how many threads and replies members started in each
space. Counts of visible (published) posts only, never their content; anonymous posts are left
out so that a count cannot point to who wrote them."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import Post, PostStatus, Space
from learning.reports.helpers import (
    active_membership_q,
    bounds,
    group_heading,
    member_ids,
    national_grid,
)
from learning.reports.registry import ChartSpec, ReportSection, ReportTable, register_section


def _visible_posts(start, end):
    return Post.objects.filter(
        status=PostStatus.PUBLISHED,
        thread__status=PostStatus.PUBLISHED,
        anonymous=False,
        created_at__gte=start,
        created_at__lt=end,
    )


def participation(organisation, *, date_from: date, date_to: date, **_kw) -> ReportTable:
    start, end = bounds(date_from, date_to)
    rows = [
        [r["thread__space__name"], r["threads"], r["replies"], r["people"]]
        for r in _visible_posts(start, end)
        .filter(author_id__in=member_ids(organisation))
        .values("thread__space_id", "thread__space__name")
        .annotate(
            threads=Count("pk", filter=Q(is_opening=True)),
            replies=Count("pk", filter=Q(is_opening=False)),
            people=Count("author_id", distinct=True),
        )
        .order_by("thread__space__name", "thread__space_id")
    ]
    return ReportTable(
        caption=_("Community participation by space"),
        headers=[_("Space"), _("Threads started"), _("Replies"), _("Members taking part")],
        rows=rows,
        chart=ChartSpec(
            title=_("Threads and replies by members, by space"),
            labels=[r[0] for r in rows],
            values=[r[1] + r[2] for r in rows],
        ),
        note=_("Published posts only; anonymous posts are not counted."),
    )


def participation_national(*, date_from: date, date_to: date, group_by: str = "kind"):
    start, end = bounds(date_from, date_to)
    org = "author__memberships__organisation"
    counts = {
        (r["thread__space_id"], r[f"{org}__kind"], r[f"{org}__region"]): r["n"]
        for r in _visible_posts(start, end)
        .filter(active_membership_q("author__memberships", on=date_to))
        .values("thread__space_id", f"{org}__kind", f"{org}__region")
        .annotate(n=Count("author_id", distinct=True))
        .order_by()
    }
    spaces = list(Space.objects.order_by("name", "pk").values_list("pk", "name"))
    return national_grid(
        caption=_("People taking part in each space"),
        first_header=_("Space"),
        row_labels=spaces,
        counts=counts,
        group_by=group_by,
        chart_title=_("People taking part, by space"),
        column_totals=True,
        note=_("Columns: %(group)s. Published, named posts only.")
        % {"group": group_heading(group_by)},
    )


register_section(
    ReportSection(
        key="community",
        title=gettext_lazy("Community participation"),
        order=50,
        build=participation,
        build_national=participation_national,
    )
)
