"""Drafts: what autosave keeps while someone writes. A draft is a journal entry with
``is_draft=True``, private and encrypted like any other; it is saved without the identifier
check, which runs when the person saves the reflection itself (``journal_entry_update`` clears
the flag). The audit row says a draft was saved, never what it says."""

from __future__ import annotations

import json
from datetime import date

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.encryption import decrypt_text, encrypt_text
from learning.guard import text_to_html
from learning.models import User
from learning.sanitise import sanitise_text
from learning.services import audit_record
from reflection.journal.catalogue import ReflectiveModel, sections_for
from reflection.journal.services import TITLE_MAX, normalise_tags
from reflection.models import JournalEntry


@transaction.atomic
def journal_draft_save(
    *,
    author: User,
    model: str,
    title: str,
    experienced_on: date | None,
    sections: dict[str, str],
    tags: str = "",
    summary: str = "",
    entry: JournalEntry | None = None,
    lesson=None,
    prompt: str = "",
    ip_address: str | None = None,
) -> JournalEntry:
    if not permissions.can_keep_journal(author):
        raise PermissionDenied
    if entry is not None:
        if not permissions.can_change_journal_entry(author, entry):
            raise PermissionDenied
        model = entry.model
    elif model not in ReflectiveModel.values:
        raise ValidationError(_("Choose a reflective model before your draft can be saved."))
    texts = [title, tags, summary, *(sections.get(s.key, "") for s in sections_for(model))]
    if not any((t or "").strip() for t in texts):
        raise ValidationError(_("There is nothing to save yet."))
    today = timezone.localdate()
    is_new = entry is None
    if is_new:
        entry = JournalEntry(author=author, lesson=lesson, prompt=sanitise_text(prompt)[:2000])
    entry.title = sanitise_text(title or "").strip()[:TITLE_MAX] or _("Untitled draft")
    entry.experienced_on = min(experienced_on or entry.experienced_on or today, today)
    entry.tags = normalise_tags((tags or "")[:300])
    entry.model = model
    entry.body_json = json.dumps(
        {s.key: text_to_html(sections.get(s.key, "")) for s in sections_for(model)}
    )
    entry.summary = text_to_html(summary)
    entry.is_draft = True
    entry.save()
    audit_record(
        action="journal_entry.draft_saved",
        actor=author,
        target=entry,
        ip_address=ip_address,
        data={"model": model, "new": is_new},
    )
    return entry


# --- text kept over an expired session ------------------------------------------------------
# When the idle sign-out catches a journal form, the posted text is kept, encrypted, in the new
# (signed-out) session with the id of the account that was signed out, and put back into the form
# only when that same account signs in again. Any other sign-in on the browser discards it, so one
# person's writing is never shown to the next person, and nobody can plant text that a colleague
# would then see as "what you wrote".

KEPT_KEY = "hope_journal_kept_form"


def kept_form_store(session, *, path: str, data: dict[str, str], owner_id: int) -> None:
    session[KEPT_KEY] = {"path": path, "owner": owner_id, "data": encrypt_text(json.dumps(data))}


def kept_form_discard_unless_owner(session, *, user_id: int) -> bool:
    """Forget kept text that another account wrote; ``True`` if something was discarded."""
    kept = session.get(KEPT_KEY)
    if kept is None or kept.get("owner") == user_id:
        return False
    del session[KEPT_KEY]
    return True


def discard_kept_text_of_others(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: kept text written by another account is dropped."""
    if request is not None and hasattr(request, "session"):
        kept_form_discard_unless_owner(request.session, user_id=user.pk)


def kept_form_take(session, *, path: str, user_id: int) -> dict[str, str] | None:
    kept = session.get(KEPT_KEY)
    if not kept:
        return None
    if kept.get("owner") != user_id:
        del session[KEPT_KEY]
        return None
    if kept.get("path") != path:
        return None
    del session[KEPT_KEY]
    try:
        data = json.loads(decrypt_text(kept["data"]))
    except (ValueError, KeyError, TypeError, ImproperlyConfigured):
        return None
    return data if isinstance(data, dict) else None


# --- unsaved changes to a saved reflection ----------------------------------------------------
# Autosave never overwrites a reflection the person has saved, and never turns it back into a
# draft: changes made while editing are kept, encrypted, in their session until they save or
# discard them, and the edit page offers them back.

PENDING_KEY = "hope_journal_pending_edits"


def pending_edits_store(session, *, entry_id: int, data: dict[str, str]) -> None:
    pending = dict(session.get(PENDING_KEY) or {})
    pending[str(entry_id)] = encrypt_text(json.dumps(data))
    session[PENDING_KEY] = pending


def pending_edits_peek(session, *, entry_id: int) -> dict[str, str] | None:
    token = (session.get(PENDING_KEY) or {}).get(str(entry_id))
    if not token:
        return None
    try:
        data = json.loads(decrypt_text(token))
    except (ValueError, KeyError, TypeError, ImproperlyConfigured):
        return None
    return data if isinstance(data, dict) else None


def pending_edits_clear(session, *, entry_id: int) -> None:
    pending = dict(session.get(PENDING_KEY) or {})
    if pending.pop(str(entry_id), None) is not None:
        session[PENDING_KEY] = pending
