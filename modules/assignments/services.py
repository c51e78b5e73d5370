"""Module assignments: an organisation admin assigns a module to members with a due date; the
members are told (on the site, and by email as they chose), reminded before it is due and told
once when it is overdue.

Services are keyword-only and check permission, change state and write the audit row in one
transaction. Selectors return querysets already scoped to what the person may see. Notices go
through ``learning.notify.notify``, name the module and the due date and link to the module;
nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.models import Membership, Organisation, Role, User
from learning.notify import action_key, notify, notify_resolve
from learning.services import audit_record
from modules.assignments.selectors import (
    Status,
    assignable_members,
    assignable_modules,
    assignments_for,
    completed_exists,
    dashboard_panel,
    module_link,
    organisation_assignment,
    organisation_assignments,
)
from modules.models import Assignment, ModulePage

# Reads live in ``assignment_selectors``; they are importable from here too.
__all__ = [
    "Status",
    "assignable_members",
    "assignable_modules",
    "assignment_cancel",
    "assignment_create",
    "assignment_notice_send",
    "assignment_reminders_send",
    "assignments_for",
    "dashboard_panel",
    "due_on_check",
    "module_link",
    "organisation_assignment",
    "organisation_assignments",
]

logger = logging.getLogger(__name__)

# --- services -------------------------------------------------------------------------------


def due_on_check(due_on: date, *, today: date | None = None) -> None:
    if due_on < (today or timezone.localdate()):
        raise ValidationError(
            {"due_on": _("The due date must be today or in the future. Enter a later date.")}
        )


def _target_ids(
    *, organisation: Organisation, users: Iterable[User] | None, role: str | None
) -> set[int]:
    if (users is None) == (role is None):
        raise ValidationError(
            {
                "target": _(
                    "Choose whether to assign the module to selected members or to everyone "
                    "with a role."
                )
            }
        )
    members = Membership.objects.active().filter(organisation=organisation, user__is_active=True)
    if role is not None:
        if role not in Role.values:
            raise ValidationError({"role": _("Choose a role from the list.")})
        ids = set(members.filter(role=role).values_list("user_id", flat=True))
        if not ids:
            raise ValidationError(
                {
                    "role": _(
                        "No one in %(org)s has that role. Choose another role, or choose "
                        "selected members."
                    )
                    % {"org": organisation.name}
                }
            )
        return ids
    assert users is not None  # exactly one of users and role was given
    wanted = {u.pk for u in users}
    if not wanted:
        raise ValidationError({"users": _("Choose at least one member to assign the module to.")})
    ids = set(members.filter(user_id__in=wanted).values_list("user_id", flat=True))
    if ids != wanted:
        raise ValidationError(
            {
                "users": _(
                    "You can only assign modules to current members of %(org)s. Choose members "
                    "from the list."
                )
                % {"org": organisation.name}
            }
        )
    return ids


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    organisation: Organisation,
    module: ModulePage,
    due_on: date,
    users: Iterable[User] | None = None,
    role: str | None = None,
) -> list[Assignment]:
    """Assign ``module`` to ``users`` (members of ``organisation``) or to everyone with an
    active ``role`` there, due on ``due_on``. Members who already have it open get the new due
    date instead of a second assignment. Each member whose assignment is new or has a new due
    date is told, in this transaction (their email is queued through the outbox)."""
    if not permissions.can_manage_members(actor, organisation):
        raise PermissionDenied
    if not isinstance(module, ModulePage) or not module.live:
        raise ValidationError({"module": _("Choose a module from the list.")})
    due_on_check(due_on)
    target_ids = _target_ids(organisation=organisation, users=users, role=role)

    open_rows = Assignment.objects.select_for_update().filter(
        organisation=organisation, module=module, cancelled_at__isnull=True, user_id__in=target_ids
    )
    existing = {a.user_id: a for a in open_rows}
    moved = [a.pk for a in existing.values() if a.due_on != due_on]
    if moved:
        # A new due date is a new due event: its reminders may go again.
        Assignment.objects.filter(pk__in=moved).update(
            due_on=due_on, notice_sent_at=None, reminder_sent_at=None, overdue_sent_at=None
        )
        for a in existing.values():
            a.due_on = due_on
    new = [
        Assignment(
            organisation=organisation, user_id=uid, module=module, due_on=due_on, assigned_by=actor
        )
        for uid in sorted(target_ids - existing.keys())
    ]
    try:
        with transaction.atomic():
            created = Assignment.objects.bulk_create(new)
    except IntegrityError as exc:
        raise ValidationError(
            _("Someone else assigned this module at the same moment. Check the list and try again.")
        ) from exc
    if created and created[0].pk is None:  # a database that does not return new ids
        created = list(
            Assignment.objects.filter(
                organisation=organisation,
                module=module,
                cancelled_at__isnull=True,
                user_id__in=[a.user_id for a in new],
            )
        )
    audit_record(
        action="assignment.created",
        actor=actor,
        organisation=organisation,
        data={
            "module_id": module.pk,
            "count": len(target_ids),
            "created": len(created),
            "updated": len(moved),
            "due_on": due_on.isoformat(),
        },
    )
    now = timezone.now()
    for pk in [a.pk for a in created] + moved:
        _claim_and_send("assigned", pk, now)
    return sorted([*created, *existing.values()], key=lambda a: a.user_id)


@transaction.atomic
def assignment_cancel(*, actor: User, assignment: Assignment) -> Assignment:
    """Withdraw an assignment; no more reminders go for it."""
    if not permissions.can_manage_members(actor, assignment.organisation):
        raise PermissionDenied
    if assignment.cancelled_at is None:
        now = timezone.now()
        changed = Assignment.objects.filter(pk=assignment.pk, cancelled_at__isnull=True).update(
            cancelled_at=now
        )
        assignment.cancelled_at = now
        if changed:
            notify_resolve(
                action_on=action_key("module.complete", assignment.module_id),
                recipient=assignment.user,
            )
            audit_record(
                action="assignment.cancelled",
                actor=actor,
                target=assignment,
                organisation=assignment.organisation,
                data={"module_id": assignment.module_id, "user_id": assignment.user_id},
            )
    return assignment


# --- notices ------------------------------------------------------------------------------


# Which column claims each notice.
_CLAIMS = {
    "assigned": "notice_sent_at",
    "reminder": "reminder_sent_at",
    "overdue": "overdue_sent_at",
}


def _message(kind: str, title: str, due: str) -> str:
    if kind == "assigned":
        return _("You have been asked to complete %(title)s by %(due)s.") % {
            "title": title,
            "due": due,
        }
    if kind == "reminder":
        return _("Reminder: %(title)s is due on %(due)s.") % {"title": title, "due": due}
    return _("%(title)s was due on %(due)s and is not finished yet.") % {"title": title, "due": due}


def _notify(kind: str, assignment: Assignment) -> None:
    due = assignment.due_on
    notify(
        recipient=assignment.user,
        kind=f"assignment.{kind}",
        message=lambda: _message(kind, assignment.module.title, formats.date_format(due, "j F Y")),
        url=module_link(assignment.module),
        key=f"assignment.{kind}.{assignment.pk}.{due.isoformat()}",
        # Asks the member to complete the module: done when they do, or it is withdrawn.
        action_on=action_key("module.complete", assignment.module_id),
    )


def _open(assignment_id: int) -> Assignment | None:
    return (
        Assignment.objects.select_related("user", "module")
        .filter(pk=assignment_id, cancelled_at__isnull=True, user__is_active=True)
        .first()
    )


def assignment_notice_send(*, assignment_id: int) -> bool:
    """Tell the member a module has been assigned to them (or its due date changed), once per
    assignment and due date. ``assignment_create`` does this itself; this runs for tasks queued
    before it did, and finds the notice already claimed otherwise."""
    assignment = _open(assignment_id)
    if assignment is None or not assignment.module.live:
        return False
    return _claim_and_send("assigned", assignment_id, timezone.now())


@transaction.atomic
def _claim_and_send(kind: str, assignment_id: int, now: datetime) -> bool:
    """Claim the notice's column and tell the member, in one transaction: the notice is on the
    site and its email in the outbox, or neither."""
    column = _CLAIMS[kind]
    claimed = Assignment.objects.filter(
        pk=assignment_id, cancelled_at__isnull=True, **{column: None}
    ).update(**{column: now})
    if not claimed:
        return False
    assignment = _open(assignment_id)
    if assignment is None:
        transaction.set_rollback(True)
        return False
    _notify(kind, assignment)
    return True


def _due_rows(q: Q, column: str, today: date) -> Iterable[int]:
    """The ids of the assignments whose ``column`` notice is due, oldest first."""
    still_member = Exists(
        Membership.objects.active(on=today).filter(
            user_id=OuterRef("user_id"), organisation_id=OuterRef("organisation_id")
        )
    )
    return (
        Assignment.objects.filter(
            q,
            cancelled_at__isnull=True,
            user__is_active=True,
            module__live=True,
            **{column: None},
        )
        .annotate(is_completed=completed_exists(), still_member=still_member)
        .filter(is_completed=False, still_member=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def assignment_reminders_send(*, today: date) -> dict[str, int]:
    """Send the reminders that are due on ``today``: one before the due date (within
    ``HOPE_ASSIGNMENT_REMINDER_DAYS``) and one once it has passed, each at most once per
    assignment and never for a cancelled or completed one. Each is claimed and written with its
    notification in one transaction, so one that fails is tried again on the next run. Returns
    how many of each went, and how many failed."""
    now = timezone.now()
    window_end = today + timedelta(days=settings.HOPE_ASSIGNMENT_REMINDER_DAYS)
    counts = {"reminders": 0, "overdue": 0, "failed": 0}
    batches = (
        ("reminder", "reminders", Q(due_on__gte=today, due_on__lte=window_end)),
        ("overdue", "overdue", Q(due_on__lt=today)),
    )
    for kind, count_key, q in batches:
        for pk in list(_due_rows(q, _CLAIMS[kind], today)):
            try:
                sent = _claim_and_send(kind, pk, now)
            except Exception:
                logger.exception("Sending the %s email for assignment %s failed.", kind, pk)
                counts["failed"] += 1
                continue
            counts[count_key] += int(sent)
    return counts
