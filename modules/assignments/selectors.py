"""Reads for module assignments, and the "Assigned to you" panel on My home. Each returns what
a page needs in one query, scoped to what the person may see."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from learning import permissions
from learning.models import Membership, Organisation, User
from learning.permissions import Person
from learning.prepared import PreparedQuery, Slots
from modules.models import Assignment, Enrolment, ModulePage
from modules.pages.translation import SOURCE_LANGUAGE
from modules.progress.selectors import kept_modules


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"


# --- selectors ------------------------------------------------------------------------------


def completed_exists(user_ref: str = "user_id") -> Exists:
    return Exists(
        Enrolment.objects.filter(
            user_id=OuterRef(user_ref), module_id=OuterRef("module_id"), completed_at__isnull=False
        )
    )


def assignable_modules() -> QuerySet[ModulePage]:
    """Modules an organisation admin can assign: the live ones, in catalogue order."""
    return (
        ModulePage.objects.live()
        .filter(locale__language_code=SOURCE_LANGUAGE)
        .order_by("path")
        .only("id", "title", "slug")
    )


def assignable_members(organisation: Organisation) -> QuerySet[User]:
    """People with an active membership of ``organisation`` (any role), each once."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active().filter(organisation=organisation).values("user_id"),
    ).order_by("display_name", "email")


# An assignment's own columns that its lists show.
ASSIGNMENT_FIELDS = ("id", "due_on", "organisation_id", "user_id", "module_id")


def _assignments(user_id: int, today: date, *, include_completed: bool) -> QuerySet[Assignment]:
    qs = (
        Assignment.objects.filter(
            user_id=user_id,
            cancelled_at__isnull=True,
            module__live=True,
            organisation_id__in=Membership.objects.active(on=today)
            .filter(user_id=user_id)
            .values("organisation_id"),
        )
        .select_related("module")
        .only(
            "id",
            "due_on",
            "organisation_id",
            "user_id",
            "module__id",
            "module__title",
            "module__slug",
            # The module's link is built from its path (``{% pageurl %}``), not a query each.
            "module__url_path",
        )
        .annotate(
            is_completed=completed_exists(),
            is_overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()),
        )
        .order_by("due_on", "pk")
    )
    if not include_completed:
        qs = qs.filter(is_completed=False)
    return qs


def assignments_for(user: Person, *, include_completed: bool = False) -> QuerySet[Assignment]:
    """A person's open assignments (not cancelled, and by default not completed), from the
    organisations they are still a member of, soonest due first, each with its module and an
    ``is_overdue`` flag. One query."""
    if not permissions.is_signed_in(user):
        return Assignment.objects.none()
    return _assignments(user.pk, timezone.localdate(), include_completed=include_completed)


def _shown_query(slots: Slots, limit: int | None) -> QuerySet[Assignment]:
    rows = (
        _assignments(slots.user_id, slots.today, include_completed=False)
        .select_related(None)
        .only(*ASSIGNMENT_FIELDS)
    )
    return rows if limit is None else rows[:limit]


# My learning and My home ask this on every visit: built once per process (learning/prepared.py).
_SHOWN = PreparedQuery("assignments.shown", _shown_query, slots={"user_id": int, "today": date})


def assignments_shown(user: Person, *, limit: int | None = None) -> list[Assignment]:
    """``assignments_for`` as My learning and My home show them: each module's title and link
    columns from the process's kept live modules (``kept_modules``), not a page row joined and
    built for every assignment. One query, as before."""
    if not permissions.is_signed_in(user):
        return []
    assignments = _SHOWN.all(shape=(limit,), user_id=user.pk, today=timezone.localdate())
    modules = kept_modules({a.module_id for a in assignments})
    shown = []
    for assignment in assignments:
        module = modules.get(assignment.module_id)
        if module is not None:  # deleted since the query: not shown, as a moment later
            assignment.module = module
            shown.append(assignment)
    return shown


def organisation_assignments(organisation: Organisation) -> QuerySet[Assignment]:
    """An organisation's open assignments, each with its member, module and ``status`` (one of
    ``Status``), worked out in the same query from the member's enrolment."""
    today = timezone.localdate()
    enrolment = Enrolment.objects.filter(
        user_id=OuterRef("user_id"), module_id=OuterRef("module_id")
    )
    completed = Exists(enrolment.filter(completed_at__isnull=False))
    return (
        Assignment.objects.filter(organisation=organisation, cancelled_at__isnull=True)
        .select_related("user", "module")
        .only(
            "id",
            "due_on",
            "organisation_id",
            "user__id",
            "user__email",
            "user__display_name",
            "module__id",
            "module__title",
            "module__slug",
        )
        .annotate(
            status=Case(
                When(completed, then=Value(Status.COMPLETED)),
                When(due_on__lt=today, then=Value(Status.OVERDUE)),
                When(Exists(enrolment), then=Value(Status.IN_PROGRESS)),
                default=Value(Status.NOT_STARTED),
                output_field=CharField(),
            )
        )
    )


def organisation_assignment(organisation: Organisation, assignment_id: int) -> Assignment | None:
    return (
        Assignment.objects.select_related("organisation", "user", "module")
        .filter(organisation=organisation, pk=assignment_id, cancelled_at__isnull=True)
        .first()
    )


def module_link(module: ModulePage) -> str:
    """The module's address, without a page-tree lookup."""
    return reverse("module_detail", kwargs={"module_slug": module.slug})


# --- "My home" panel ------------------------------------------------------------------------

PANEL_LIMIT = 5


def dashboard_panel(request: HttpRequest) -> dict | None:
    """ "Assigned to you" on My home: at most one query, none for someone with no
    organisation, and ``None`` when nothing is assigned."""
    user = request.user
    if not permissions.is_signed_in(user) or not permissions.roles_for(user).memberships:
        return None
    rows = assignments_shown(user, limit=PANEL_LIMIT + 1)
    if not rows:
        return None
    return {
        "template": "modules/assignments/dashboard_panel.html",
        "context": {
            "assignments": [(a, module_link(a.module)) for a in rows[:PANEL_LIMIT]],
            "more": len(rows) > PANEL_LIMIT,
        },
    }
