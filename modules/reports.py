"""Report sections for training: progress per module and per member, completions over time,
the trained-to-deliver register and confidence before and after. Figures only, aggregated in
the database (a fixed number of queries, whatever the number of members)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning.language import in_reader_language
from learning.models import Organisation, User
from learning.pagination import PreparedKeyset
from learning.prepared import PreparedQuery, Slots
from learning.reports.helpers import (
    active_membership_q,
    bounds,
    count_subquery,
    group_heading,
    keyset_rows,
    member_ids,
    national_grid,
)
from learning.reports.registry import ChartSpec, ReportSection, ReportTable, register_section
from modules.models import Assignment, Certificate, Enrolment, ModulePage, Topic
from modules.pages.translation import SOURCE_LANGUAGE
from modules.reports_confidence import confidence_change, confidence_national


def _done():
    return Exists(
        Enrolment.objects.filter(
            user_id=OuterRef("user_id"), module_id=OuterRef("module_id"), completed_at__isnull=False
        )
    )


def _open_assignments_query(slots: Slots) -> QuerySet:
    """(module id, due, overdue) for the organisation's open assignments whose module is not yet
    completed. The anti-join (``NOT EXISTS``) probes the (person, module) index once per open
    assignment of this organisation; the ``NOT IN`` it replaced hashed every completed
    enrolment on the platform (968 ms at 100× data)."""
    today = slots.today
    members = member_ids(Organisation(pk=slots.organisation_id), on=today)
    return (
        Assignment.objects.filter(
            organisation_id=slots.organisation_id, cancelled_at__isnull=True, user_id__in=members
        )
        .filter(~_done())
        .order_by()
        .values("module_id")
        .annotate(
            due=Count("pk", filter=Q(due_on__gte=today)),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
        )
        .values_list("module_id", "due", "overdue")
    )


# Read on every visit to the training section, so built once per process and kept by the
# database as a prepared statement (learning/prepared.py).
_OPEN_ASSIGNMENTS = PreparedQuery(
    "reports.open_assignments_by_module",
    _open_assignments_query,
    slots={"organisation_id": int, "today": date},
)


def _open_assignments_by_module(organisation, today: date) -> list[tuple]:
    return _OPEN_ASSIGNMENTS.all(organisation_id=organisation.pk, today=today)


def _live_modules() -> QuerySet:
    # Rows of three values, not page objects: building a Wagtail page instance (its clusters,
    # its specific class) cost more than reading the row.
    return (
        ModulePage.objects.live()
        .filter(locale__language_code=SOURCE_LANGUAGE)
        .values("pk", "title", "path")
    )


def _progress(members, *, start, end, modules) -> QuerySet:
    """Enrolled, completed in the period and in progress, per module of ``modules`` (a list of
    ids), for ``members``."""
    return (
        Enrolment.objects.filter(user_id__in=members, started_at__lt=end, module_id__in=modules)
        .values("module_id")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__gte=start, completed_at__lt=end)),
            in_progress=Count("pk", filter=Q(completed_at__isnull=True) | Q(completed_at__gte=end)),
        )
    )


# The page of modules on screen is read on every visit to the reports, and building its query
# cost the ORM more than the database spends answering it, so it is built once per process
# (learning/prepared.py), and so are the figures for it. The figures take the page's ids as a
# list of a fixed length (the page size; a shorter last page repeats its first id, which
# changes nothing in an IN list): read as a subquery of the page instead, PostgreSQL expected
# one module and probed every enrolment of each module on the page (3.8 ms at 1× data against
# 0.4 ms for the list).
_MODULE_PAGES: dict[int, PreparedKeyset] = {}
_PAGE_PROGRESS: dict[int, PreparedQuery] = {}


def _module_page(after: str | None, limit: int):
    pages = _MODULE_PAGES.get(limit)
    if pages is None:
        pages = _MODULE_PAGES[limit] = PreparedKeyset(
            f"reports.training_modules.{limit}",
            lambda slots: _live_modules(),
            slots={},
            order=("path",),
            kinds=(str,),
            size=limit,
        )
    return pages.page(cursor=after)


def _page_progress_query(slots: Slots, limit: int) -> QuerySet:
    members = member_ids(Organisation(pk=slots.organisation_id), on=slots.today)
    modules = [getattr(slots, f"module_{i}") for i in range(limit)]
    return _progress(members, start=slots.start, end=slots.end, modules=modules)


def _page_progress(
    organisation, *, today: date, start: datetime, end: datetime, modules: list[int], limit: int
) -> list[dict]:
    """``_progress`` for the organisation's members and one page of at most ``limit`` modules."""
    if not modules:
        return []
    query = _PAGE_PROGRESS.get(limit)
    if query is None:
        query = _PAGE_PROGRESS[limit] = PreparedQuery(
            f"reports.training_progress.{limit}",
            _page_progress_query,
            slots={
                "organisation_id": int,
                "today": date,
                "start": datetime,
                "end": datetime,
                **{f"module_{i}": int for i in range(limit)},
            },
        )
    padded = [*modules, *[modules[0]] * (limit - len(modules))]
    return query.all(
        shape=(limit,),
        organisation_id=organisation.pk,
        today=today,
        start=start,
        end=end,
        **{f"module_{i}": pk for i, pk in enumerate(padded)},
    )


def training_by_module(
    organisation, *, date_from: date, date_to: date, after=None, limit=None
) -> ReportTable:
    """One row a live module (a keyset page of them on screen: 4,000 modules at 100× data), in
    the catalogue's order: the page tree's, which editors set. Ordering by title sorted every
    live module on each page view (4.7 ms at 100× data against 0.3 ms at 1×); the tree path is
    an index, so a page reads only the rows it shows."""
    start, end = bounds(date_from, date_to)
    today = timezone.localdate()
    if limit is None:  # every module (the CSV file)
        page, cursor, previous = keyset_rows(_live_modules(), ("path",), after, limit)
        modules = [(m["pk"], m["title"]) for m in page]
        ids = [pk for pk, _t in modules]
        figures = _progress(member_ids(organisation), start=start, end=end, modules=ids)
    else:
        screen = _module_page(after, limit)
        page, cursor, previous = screen.items, screen.next_cursor, screen.has_previous
        modules = [(m["pk"], m["title"]) for m in page]
        ids = [pk for pk, _t in modules]
        figures = _page_progress(
            organisation, today=today, start=start, end=end, modules=ids, limit=limit
        )
    progress = {r["module_id"]: r for r in figures}
    assigned = {
        module_id: {"due": due, "overdue": overdue}
        for module_id, due, overdue in _open_assignments_by_module(organisation, today)
    }
    rows = []
    for pk, title in modules:
        p, a = progress.get(pk, {}), assigned.get(pk, {})
        rows.append(
            [
                title,
                p.get("enrolled", 0),
                p.get("in_progress", 0),
                p.get("completed", 0),
                a.get("due", 0),
                a.get("overdue", 0),
            ]
        )
    return ReportTable(
        caption=_("Training by module"),
        headers=[
            _("Module"),
            _("Enrolled"),
            _("In progress"),
            _("Completed in the period"),
            _("Assignments due"),
            _("Assignments overdue"),
        ],
        rows=rows,
        chart=ChartSpec(
            title=_("Members who completed each module in the period"),
            labels=[r[0] for r in rows],
            values=[r[3] for r in rows],
        ),
        next_cursor=cursor,
        has_previous=previous,
    )


def training_by_member(
    organisation, *, date_from: date, date_to: date, after=None, limit=None
) -> ReportTable:
    start, end = bounds(date_from, date_to)
    today = timezone.localdate()
    mine = Enrolment.objects.filter(user_id=OuterRef("pk"), started_at__lt=end)
    open_assignments = Assignment.objects.filter(
        user_id=OuterRef("pk"), organisation=organisation, cancelled_at__isnull=True
    ).filter(~_done())
    qs = (
        User.objects.filter(pk__in=member_ids(organisation))
        .annotate(
            n_enrolled=count_subquery(mine, "user_id"),
            n_completed=count_subquery(
                mine.filter(completed_at__gte=start, completed_at__lt=end), "user_id"
            ),
            n_progress=count_subquery(
                mine.filter(Q(completed_at__isnull=True) | Q(completed_at__gte=end)), "user_id"
            ),
            n_due=count_subquery(open_assignments.filter(due_on__gte=today), "user_id"),
            n_overdue=count_subquery(open_assignments.filter(due_on__lt=today), "user_id"),
        )
        .only("pk", "display_name", "email")
    )
    users, cursor, previous = keyset_rows(qs, ("display_name", "email", "pk"), after, limit)
    return ReportTable(
        caption=_("Training by member"),
        headers=[
            _("Member"),
            _("Enrolled"),
            _("In progress"),
            _("Completed in the period"),
            _("Assignments due"),
            _("Assignments overdue"),
        ],
        rows=[
            [str(u), u.n_enrolled, u.n_progress, u.n_completed, u.n_due, u.n_overdue] for u in users
        ],
        next_cursor=cursor,
        has_previous=previous,
    )


def _months(date_from: date, date_to: date) -> list[date]:
    out, d = [], date(date_from.year, date_from.month, 1)
    while d <= date_to:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def completions_over_time(organisation, *, date_from: date, date_to: date, **_kw) -> ReportTable:
    start, end = bounds(date_from, date_to)
    counts = {
        (r["month"].date() if hasattr(r["month"], "date") else r["month"]): r["n"]
        for r in Enrolment.objects.filter(
            user_id__in=member_ids(organisation), completed_at__gte=start, completed_at__lt=end
        )
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    rows = [[m.strftime("%B %Y"), counts.get(m, 0)] for m in _months(date_from, date_to)]
    return ReportTable(
        caption=_("Modules completed each month"),
        headers=[_("Month"), _("Modules completed")],
        rows=rows,
        chart=ChartSpec(
            title=_("Modules completed by members each month"),
            labels=[r[0] for r in rows],
            values=[r[1] for r in rows],
        ),
    )


def trained_register(
    organisation, *, date_from: date, date_to: date, after=None, limit=None
) -> ReportTable:
    _start, end = bounds(date_from, date_to)
    code = Certificate.objects.filter(user_id=OuterRef("user_id"), module_id=OuterRef("module_id"))
    qs = (
        Enrolment.objects.filter(
            user_id__in=member_ids(organisation),
            completed_at__lt=end,
            module__qualifies_for__gt="",
        )
        .select_related("user", "module")
        .only(
            "pk",
            "completed_at",
            "user__display_name",
            "user__email",
            "module__title",
            "module__qualifies_for",
        )
        .annotate(certificate_code=Subquery(code.values("code")[:1]))
    )
    items, cursor, previous = keyset_rows(
        qs, ("module__qualifies_for", "user__display_name", "pk"), after, limit
    )
    return ReportTable(
        caption=_("Trained to deliver"),
        headers=[_("Member"), _("Qualified for"), _("Module"), _("Completed on"), _("Certificate")],
        rows=[
            [
                str(e.user),
                e.module.qualifies_for,
                e.module.title,
                timezone.localtime(e.completed_at).date(),
                e.certificate_code or "",
            ]
            for e in items
        ],
        next_cursor=cursor,
        has_previous=previous,
        note=_("Modules marked by an editor as qualifying someone for a role."),
    )


# --- National ------------------------------------------------------------------------------


def trained_services_national(*, date_from: date, date_to: date, group_by: str = "kind"):
    start, end = bounds(date_from, date_to)
    org = "user__memberships__organisation"
    counts = {
        (r["module__topics"], r[f"{org}__kind"], r[f"{org}__region"]): r["n"]
        for r in Enrolment.objects.filter(
            active_membership_q("user__memberships", on=date_to),
            completed_at__gte=start,
            completed_at__lt=end,
            module__topics__isnull=False,
        )
        .values("module__topics", f"{org}__kind", f"{org}__region")
        .annotate(n=Count(org, distinct=True))
        .order_by()
    }
    topics = [
        (pk, in_reader_language(name, name_cy))
        for pk, name, name_cy in Topic.objects.order_by("sort_order", "name").values_list(
            "pk", "name", "name_cy"
        )
    ]
    return national_grid(
        caption=_("Services with staff who completed a module on each topic"),
        first_header=_("Topic"),
        row_labels=topics,
        counts=counts,
        group_by=group_by,
        chart_title=_("Services with trained staff, by topic"),
        note=_("Columns: %(group)s. A service counts once per topic.")
        % {"group": group_heading(group_by)},
    )


for section in (
    ReportSection("training", gettext_lazy("Training by module"), 10, training_by_module),
    ReportSection("training_members", gettext_lazy("Training by member"), 11, training_by_member),
    ReportSection("completions", gettext_lazy("Completions over time"), 12, completions_over_time),
    ReportSection("register", gettext_lazy("Trained to deliver"), 13, trained_register),
    ReportSection(
        "trained_services",
        gettext_lazy("Services with trained staff"),
        14,
        build_national=trained_services_national,
    ),
    ReportSection(
        "confidence",
        gettext_lazy("Confidence"),
        40,
        build=confidence_change,
        build_national=confidence_national,
    ),
):
    register_section(section)
