"""Writes to the practice-related feedback log and the revalidation declaration: check, change
and audit in one transaction. Feedback text is plain text and passes the identifier guard (it
may be shared with an appraiser); the audit rows hold ids and outcomes, never the text."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.guard import guard
from learning.models import User
from learning.sanitise import sanitise_text
from learning.services import audit_record
from reflection.portfolio.models import FeedbackSource, PracticeFeedback, RevalidationDeclaration

TEXT_MAX = 2000


def _text(value: str, *, field: str, required: str, errors: dict[str, str]) -> str:
    text = sanitise_text(value or "").strip()
    if not text:
        errors[field] = required
    elif len(text) > TEXT_MAX:
        errors[field] = _("This must be %(n)s characters or fewer.") % {"n": TEXT_MAX}
    return text


@transaction.atomic
def feedback_create(
    *,
    owner: User,
    received_on: date | None,
    source: str,
    summary: str,
    learnt: str,
    confirm_identifiers: bool = False,
) -> PracticeFeedback:
    """Add a piece of practice-related feedback to the owner's log."""
    errors: dict[str, str] = {}
    if received_on is None:
        errors["received_on"] = _("Enter the date of the feedback")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("The date of the feedback must be today or in the past")
    if source not in FeedbackSource.values:
        errors["source"] = _("Select where the feedback came from")
    texts = {
        "summary": _text(
            summary, field="summary", required=_("Enter what the feedback was"), errors=errors
        ),
        "learnt": _text(
            learnt, field="learnt", required=_("Enter what you learnt from it"), errors=errors
        ),
    }
    if errors:
        raise ValidationError(errors)
    checked = guard(texts, confirmed=confirm_identifiers)
    item = PracticeFeedback.objects.create(
        owner=owner, received_on=received_on, source=source, **texts
    )
    audit_record(
        action="portfolio.feedback_added",
        actor=owner,
        target=item,
        data={"source": source, **checked.audit},
    )
    return item


@transaction.atomic
def feedback_delete(*, owner: User, item: PracticeFeedback) -> None:
    row = PracticeFeedback.objects.select_for_update().filter(pk=item.pk).first()
    if row is None or row.owner_id != owner.pk:
        raise PermissionDenied
    audit_record(action="portfolio.feedback_deleted", actor=owner, target=row, data={"id": row.pk})
    row.delete()


DECLARATION_FIELDS = (
    "practice_hours",
    "discussion_on",
    "health_character_on",
    "indemnity_on",
    "confirmation_on",
)
PRACTICE_HOURS_MAX = 100000


@transaction.atomic
def declaration_set(
    *,
    owner: User,
    practice_hours: int | None,
    discussion_on: date | None,
    health_character_on: date | None,
    indemnity_on: date | None,
    confirmation_on: date | None,
) -> RevalidationDeclaration:
    """Record what the owner declares for revalidation. Dates are of things already done, so
    none is in the future."""
    values = {
        "practice_hours": practice_hours,
        "discussion_on": discussion_on,
        "health_character_on": health_character_on,
        "indemnity_on": indemnity_on,
        "confirmation_on": confirmation_on,
    }
    errors: dict[str, str] = {}
    if practice_hours is not None and not 0 <= practice_hours <= PRACTICE_HOURS_MAX:
        errors["practice_hours"] = _("Enter your practice hours as a whole number")
    today = timezone.localdate()
    for name in DECLARATION_FIELDS[1:]:
        when = values[name]
        if when is not None and when > today:
            errors[name] = _("The date must be today or in the past")
    if errors:
        raise ValidationError(errors)
    row, _created = RevalidationDeclaration.objects.select_for_update().get_or_create(owner=owner)
    changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
    if changed:
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = timezone.now()
        row.save()
        audit_record(
            action="portfolio.declaration_changed",
            actor=owner,
            target=row,
            data={"fields": changed},
        )
    return row
