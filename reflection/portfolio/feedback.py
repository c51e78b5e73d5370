"""Writes to the practice-related feedback log: check, change and audit in one transaction.
Feedback text is plain text and passes the identifier guard (it may be shared with an
appraiser); the audit rows hold ids and outcomes, never the text."""

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
from reflection.portfolio.models import FeedbackSource, PracticeFeedback

TEXT_MAX = 2000


def _text(value: str, *, field: str, required: str, errors: dict[str, str]) -> str:
    text = sanitise_text(value or "").strip()
    if not text:
        errors[field] = required
    elif len(text) > TEXT_MAX:
        errors[field] = _("This must be %(n)s characters or fewer.") % {"n": TEXT_MAX}
    return text


def _checked(
    *, received_on: date | None, source: str, summary: str, learnt: str
) -> tuple[date, dict[str, str]]:
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
    if errors or received_on is None:
        raise ValidationError(errors)
    return received_on, texts


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
    when, texts = _checked(received_on=received_on, source=source, summary=summary, learnt=learnt)
    checked = guard(texts, confirmed=confirm_identifiers)
    item = PracticeFeedback.objects.create(owner=owner, received_on=when, source=source, **texts)
    audit_record(
        action="portfolio.feedback_added",
        actor=owner,
        target=item,
        data={"source": source, **checked.audit},
    )
    return item


@transaction.atomic
def feedback_update(
    *,
    owner: User,
    item: PracticeFeedback,
    received_on: date | None,
    source: str,
    summary: str,
    learnt: str,
    confirm_identifiers: bool = False,
) -> PracticeFeedback:
    """Change one of the owner's pieces of feedback."""
    row = PracticeFeedback.objects.select_for_update().filter(pk=item.pk).first()
    if row is None or row.owner_id != owner.pk:
        raise PermissionDenied
    when, texts = _checked(received_on=received_on, source=source, summary=summary, learnt=learnt)
    checked = guard(texts, confirmed=confirm_identifiers)
    row.received_on = when
    row.source = source
    row.summary = texts["summary"]
    row.learnt = texts["learnt"]
    row.save(update_fields=["received_on", "source", "summary", "learnt"])
    audit_record(
        action="portfolio.feedback_changed",
        actor=owner,
        target=row,
        data={"source": source, **checked.audit},
    )
    return row


@transaction.atomic
def feedback_delete(*, owner: User, item: PracticeFeedback) -> None:
    row = PracticeFeedback.objects.select_for_update().filter(pk=item.pk).first()
    if row is None or row.owner_id != owner.pk:
        raise PermissionDenied
    audit_record(action="portfolio.feedback_deleted", actor=owner, target=row, data={"id": row.pk})
    row.delete()
