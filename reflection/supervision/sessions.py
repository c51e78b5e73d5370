"""Writes for supervision session records: record, change, confirm, ask for a change, add an
addendum, complete an action, and the supervisee's check-in.

Whoever writes a record submits it; the other party confirms it or asks for a change. Once both
have confirmed, the record is locked: every service here re-reads the row under
``select_for_update`` and refuses to change a locked record (later corrections are addenda).
Audit rows hold ids, outcomes and the kinds of identifiers confirmed, never text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning import permissions
from learning.guard import Checked, guard
from learning.models import User
from learning.notify import action_key, notify_resolve
from learning.services import audit_record
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionAddendum,
    SupervisionRelationship,
    SupervisionSession,
    SupervisionTheme,
)
from reflection.supervision.text import clean_text

Session = SupervisionSession
SUMMARY_MAX = 10000
ACTION_MAX = 1000
COMMENT_MAX = 2000
FUNCTIONS = ("normative", "formative", "restorative")


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner: str  # "supervisee" or "supervisor"
    due_on: date | None = None


@dataclass(frozen=True)
class SessionInput:
    held_on: date | None
    duration_minutes: int | None
    format: str
    attendance_only: bool = False
    attendee_emails: tuple[str, ...] = ()
    external_attendees: int = 0
    functions: frozenset[str] = field(default_factory=frozenset)
    theme_ids: tuple[int, ...] = ()
    summary: str = ""
    next_on: date | None = None
    actions: tuple[ActionInput, ...] = ()


def _validated(rel: SupervisionRelationship, data: SessionInput) -> dict:
    """Check the input; return cleaned values (attendees, themes, summary, actions)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if data.held_on is None:
        errors["held_on"] = _("Enter the date of the session.")
    elif data.held_on > today:
        errors["held_on"] = _("The date of the session must be today or in the past.")
    if not 1 <= (data.duration_minutes or 0) <= 720:
        errors["duration_minutes"] = _("Enter the length of the session in minutes, up to 720.")
    if data.format not in Session.Format.values:
        errors["format"] = _("Choose the format of the session.")
    attendance_only = bool(data.attendance_only)
    if attendance_only and data.format not in Session.ATTENDANCE_FORMATS:
        errors["attendance_only"] = _(
            "Only a reflective practice group or a Schwartz Round can be logged as attendance "
            "only. Untick attendance only, or choose one of those formats."
        )
    if attendance_only and ((data.summary or "").strip() or data.actions):
        errors["attendance_only"] = _(
            "An attendance-only record has no summary or actions. Remove them, or untick "
            "attendance only."
        )
    if not set(data.functions) <= set(FUNCTIONS):
        errors["functions"] = _("Choose functions from the list.")
    elif not attendance_only and not data.functions:
        errors["functions"] = _("Choose at least one supervision function the session covered.")
    if data.next_on and data.held_on and data.next_on <= data.held_on:
        errors["next_on"] = _("The next session must be after this one.")
    if not 0 <= (data.external_attendees or 0) <= 500:
        errors["external_attendees"] = _("Enter a number of people from 0 to 500.")
    group = data.format != Session.Format.ONE_TO_ONE
    emails = {e.strip().lower() for e in data.attendee_emails if e.strip()}
    attendees = list(User.objects.filter(email__in=emails, is_active=True)) if emails else []
    if emails and not group:
        errors["attendees"] = _("Other members are only recorded for group sessions.")
    elif len(attendees) != len(emails):
        missing = sorted(emails - {u.email.lower() for u in attendees})
        errors["attendees"] = _(
            "These addresses are not signed up to Holding Hope: %(emails)s. Remove them, or "
            "count them as people from outside."
        ) % {"emails": ", ".join(missing)}
    themes = list(SupervisionTheme.objects.filter(pk__in=data.theme_ids, active=True))
    if len(themes) != len(set(data.theme_ids)):
        errors["themes"] = _("Choose themes from the list.")
    try:
        summary = clean_text(data.summary, limit=SUMMARY_MAX, field="summary", label=_("summary"))
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        summary = ""
    actions = []
    for i, a in enumerate(data.actions):
        text = clean_text(a.text, limit=ACTION_MAX, field=f"action-{i}-text", label=_("action"))
        if not text:
            continue
        if a.owner not in ("supervisee", "supervisor"):
            errors[f"action-{i}-owner"] = _("Choose who will do this action.")
            continue
        owner_id = rel.supervisee_id if a.owner == "supervisee" else rel.supervisor_id
        actions.append((text, owner_id, a.due_on))
    if errors:
        raise ValidationError(errors)
    return {"attendees": attendees, "themes": themes, "summary": summary, "actions": actions}


def _write(session: Session, rel: SupervisionRelationship, data: SessionInput, clean: dict) -> None:
    session.held_on = data.held_on
    session.duration_minutes = data.duration_minutes
    session.format = data.format
    session.attendance_only = bool(data.attendance_only)
    session.external_attendees = data.external_attendees or 0
    for name in FUNCTIONS:
        setattr(session, name, name in data.functions)
    session.summary = clean["summary"]
    session.next_on = data.next_on
    session.save()
    session.attendees.set(clean["attendees"])
    session.themes.set(clean["themes"])
    # Actions already done stay as they are; open ones are replaced by what was submitted.
    session.actions.filter(status=SupervisionAction.Status.OPEN).delete()
    SupervisionAction.objects.bulk_create(
        SupervisionAction(session=session, relationship=rel, owner_id=o, text=t, due_on=d)
        for t, o, d in clean["actions"]
    )


def _guard(clean: dict, confirm_identifiers: bool) -> Checked:
    texts = {"summary": clean["summary"]}
    texts.update({f"action-{i}-text": t for i, (t, _o, _d) in enumerate(clean["actions"])})
    return guard(texts, confirmed=confirm_identifiers)


def _resolve(*parts: object) -> None:
    """What a notice asked for is done (``learning.notify.notify_resolve``)."""
    notify_resolve(action_on=action_key(*parts))


def _notify_other_party(session: Session) -> None:
    """Tell the other party in this transaction that the record waits for them: the notice and
    its queued email commit with the record, or not at all."""
    from reflection.supervision import reminders

    reminders.confirmation_notify(session_id=session.pk)


@transaction.atomic
def session_create(
    *,
    author: User,
    relationship: SupervisionRelationship,
    data: SessionInput,
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> Session:
    """Record a session of an active relationship and submit it for the other's confirmation."""
    rel = SupervisionRelationship.objects.select_for_update().filter(pk=relationship.pk).first()
    if rel is None or not permissions.can_record_supervision_session(author, rel):
        raise PermissionDenied
    clean = _validated(rel, data)
    checked = _guard(clean, confirm_identifiers)
    session = Session(relationship=rel, author=author)
    _write(session, rel, data, clean)
    audit_record(
        action="supervision.session_recorded",
        actor=author,
        target=session,
        ip_address=ip_address,
        data={"relationship_id": rel.pk, **checked.audit},
    )
    _resolve("supervision.relationship", rel.pk, "session_due")  # a session is now recorded
    _notify_other_party(session)
    return session


def session_for_update(session: Session) -> Session:
    """The session's row, locked for this transaction (the check-in service uses it too)."""
    row = (
        Session.objects.select_for_update(of=("self",))
        .select_related("relationship")
        .filter(pk=session.pk)
        .first()
    )
    if row is None:
        raise PermissionDenied
    return row


LOCKED_MESSAGE = gettext_lazy(
    "Both of you have confirmed this record, so it cannot be changed. Add an addendum instead."
)


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: Session,
    data: SessionInput,
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> Session:
    """The writer changes their record (before it is locked) and submits it again."""
    row = session_for_update(session)
    if row.is_locked:
        raise ValidationError(LOCKED_MESSAGE)
    if not permissions.can_change_supervision_session(actor, row):
        raise PermissionDenied
    clean = _validated(row.relationship, data)
    checked = _guard(clean, confirm_identifiers)
    row.status = Session.Status.SUBMITTED
    row.revision += 1
    row.change_comment = ""
    _write(row, row.relationship, data, clean)
    audit_record(
        action="supervision.session_changed",
        actor=actor,
        target=row,
        ip_address=ip_address,
        data={"revision": row.revision, **checked.audit},
    )
    _resolve("supervision.session", row.pk, "change")  # the change asked for is made
    _resolve("supervision.session", row.pk, "confirm")  # the earlier revision needs no answer
    _notify_other_party(row)
    return row


@transaction.atomic
def session_confirm(*, actor: User, session: Session, ip_address: str | None = None) -> Session:
    """The other party confirms the record: both have now confirmed, so it is locked."""
    row = session_for_update(session)
    if row.is_locked:
        raise ValidationError(LOCKED_MESSAGE)
    if not permissions.can_confirm_supervision_session(actor, row):
        raise PermissionDenied
    row.status = Session.Status.LOCKED
    row.locked_at = timezone.now()
    row.save(update_fields=["status", "locked_at", "updated_at"])
    audit_record(
        action="supervision.session_confirmed",
        actor=actor,
        target=row,
        ip_address=ip_address,
        data={"revision": row.revision},
    )
    _resolve("supervision.session", row.pk, "confirm")
    return row


@transaction.atomic
def session_request_change(
    *,
    actor: User,
    session: Session,
    comment: str,
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> Session:
    """The other party asks the writer for a change, saying what. The comment is kept on the
    record, so it passes the identifier guard like the summary does."""
    row = session_for_update(session)
    if row.is_locked:
        raise ValidationError(LOCKED_MESSAGE)
    if not permissions.can_confirm_supervision_session(actor, row):
        raise PermissionDenied
    comment = clean_text(comment, limit=COMMENT_MAX, field="comment", label=_("comment"))
    if not comment:
        raise ValidationError({"comment": _("Say what you would like changed.")})
    checked = guard({"comment": comment}, confirmed=confirm_identifiers)
    row.status = Session.Status.CHANGES_REQUESTED
    row.change_comment = comment
    row.save(update_fields=["status", "change_comment", "updated_at"])
    audit_record(
        action="supervision.session_change_requested",
        actor=actor,
        target=row,
        ip_address=ip_address,
        data={"revision": row.revision, **checked.audit},
    )
    _resolve("supervision.session", row.pk, "confirm")  # answered: a change is asked for
    from reflection.supervision.services import _notify

    _notify(
        recipient=row.author,
        kind="supervision.change_requested",
        message=lambda: _("A change has been asked for on a supervision record you wrote."),
        url=f"/supervision/{row.pk}/",
        dedupe_key=f"supervision:change:{row.pk}:{row.revision}",
        action_on=f"supervision.session.{row.pk}.change",
    )
    return row


@transaction.atomic
def addendum_add(
    *,
    actor: User,
    session: Session,
    text: str,
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> SupervisionAddendum:
    """A later correction to a locked record: the record itself never changes."""
    row = session_for_update(session)
    if not permissions.can_add_supervision_addendum(actor, row):
        raise PermissionDenied
    text = clean_text(text, limit=COMMENT_MAX, field="text", label=_("addendum"))
    if not text:
        raise ValidationError({"text": _("Write the addendum.")})
    checked = guard({"text": text}, confirmed=confirm_identifiers)
    addendum = SupervisionAddendum.objects.create(session=row, author=actor, text=text)
    audit_record(
        action="supervision.addendum_added",
        actor=actor,
        target=row,
        ip_address=ip_address,
        data={"addendum_id": addendum.pk, **checked.audit},
    )
    return addendum


@transaction.atomic
def action_complete(*, actor: User, action: SupervisionAction) -> SupervisionAction:
    """Mark an action done. Following up an action is not a change to the record, so this is
    allowed on locked records too; the action's text never changes."""
    row = (
        SupervisionAction.objects.select_for_update(of=("self",))
        .select_related("relationship")
        .filter(pk=action.pk)
        .first()
    )
    if row is None or not permissions.is_supervision_party(actor, row.relationship):
        raise PermissionDenied
    if row.status == SupervisionAction.Status.OPEN:
        row.status = SupervisionAction.Status.DONE
        row.done_at = timezone.now()
        row.save(update_fields=["status", "done_at"])
        audit_record(action="supervision.action_done", actor=actor, target=row)
        _resolve("supervision.action", row.pk)
    return row
