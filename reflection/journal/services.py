"""Writes for the journal. Each service checks permission, runs the identifier guard, changes
state and writes its audit row in one transaction. Audit rows hold ids and decisions, never
text."""

from __future__ import annotations

import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.guard import Checked, guard, text_to_html
from learning.models import User
from learning.sanitise import sanitise_text
from learning.services import audit_record
from modules.models import LessonPage
from reflection.journal.catalogue import ReflectiveModel, sections_for
from reflection.models import JournalEntry

TITLE_MAX = 200
TAGS_MAX = 300


def normalise_tags(tags: str) -> str:
    seen: dict[str, str] = {}
    for raw in (tags or "").split(","):
        tag = " ".join(sanitise_text(raw).split())[:40]
        if tag:
            seen.setdefault(tag.casefold(), tag)
    return ", ".join(seen.values())


def _validated(
    *, title: str, experienced_on: date, tags: str, model: str, sections: dict[str, str]
) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Enter a title for this reflection.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title must be %(n)s characters or fewer.") % {"n": TITLE_MAX}
    if experienced_on is None:
        errors["experienced_on"] = _("Enter the date of the experience.")
    elif experienced_on > timezone.localdate():
        errors["experienced_on"] = _("The date of the experience must be today or in the past.")
    if len(tags or "") > TAGS_MAX:
        errors["tags"] = _("Tags must be %(n)s characters or fewer in all.") % {"n": TAGS_MAX}
    if model not in ReflectiveModel.values:
        errors["model"] = _("Choose a reflective model from the list.")
    elif not any((sections.get(s.key) or "").strip() for s in sections_for(model)):
        errors["sections"] = _("Write something in at least one part of your reflection.")
    if errors:
        raise ValidationError(errors)


def _apply(
    entry: JournalEntry,
    *,
    title: str,
    experienced_on: date,
    tags: str,
    model: str,
    sections: dict[str, str],
    summary: str,
    confirm_identifiers: bool,
) -> Checked:
    """Validate, guard and set the fields. Returns what the guard let through."""
    _validated(
        title=title, experienced_on=experienced_on, tags=tags, model=model, sections=sections
    )
    texts = {
        "title": title,
        "tags": tags,
        "summary": summary,
        **{f"section-{s.key}": sections.get(s.key, "") for s in sections_for(model)},
    }
    checked = guard(texts, confirmed=confirm_identifiers)
    entry.title = sanitise_text(title).strip()
    entry.experienced_on = experienced_on
    entry.tags = normalise_tags(tags)
    entry.model = model
    entry.body_json = json.dumps(
        {s.key: text_to_html(sections.get(s.key, "")) for s in sections_for(model)}
    )
    entry.summary = text_to_html(summary)
    entry.identifier_check_confirmed_at = timezone.now() if checked.confirmed else None
    entry.is_draft = False
    return checked


@transaction.atomic
def journal_entry_create(
    *,
    author: User,
    title: str,
    experienced_on: date,
    model: str,
    sections: dict[str, str],
    tags: str = "",
    summary: str = "",
    lesson: LessonPage | None = None,
    prompt: str = "",
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> JournalEntry:
    if not permissions.can_keep_journal(author):
        raise PermissionDenied
    entry = JournalEntry(author=author, lesson=lesson, prompt=sanitise_text(prompt)[:2000])
    checked = _apply(
        entry,
        title=title,
        experienced_on=experienced_on,
        tags=tags,
        model=model,
        sections=sections,
        summary=summary,
        confirm_identifiers=confirm_identifiers,
    )
    entry.save()
    audit_record(
        action="journal_entry.created",
        actor=author,
        target=entry,
        ip_address=ip_address,
        data={"model": model, **checked.audit, "from_lesson": bool(lesson)},
    )
    return entry


@transaction.atomic
def journal_entry_update(
    *,
    actor: User,
    entry: JournalEntry,
    title: str,
    experienced_on: date,
    model: str,
    sections: dict[str, str],
    tags: str = "",
    summary: str = "",
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> JournalEntry:
    if not permissions.can_change_journal_entry(actor, entry):
        raise PermissionDenied
    checked = _apply(
        entry,
        title=title,
        experienced_on=experienced_on,
        tags=tags,
        model=model,
        sections=sections,
        summary=summary,
        confirm_identifiers=confirm_identifiers,
    )
    entry.save()
    audit_record(
        action="journal_entry.updated",
        actor=actor,
        target=entry,
        ip_address=ip_address,
        data={"model": model, **checked.audit},
    )
    return entry


@transaction.atomic
def journal_entry_delete(
    *, actor: User, entry: JournalEntry, ip_address: str | None = None
) -> None:
    if not permissions.can_change_journal_entry(actor, entry):
        raise PermissionDenied
    entry_id = entry.pk
    audit_record(
        action="journal_entry.deleted",
        actor=actor,
        target=entry,
        ip_address=ip_address,
        data={"entry_id": entry_id},
    )
    entry.delete()
