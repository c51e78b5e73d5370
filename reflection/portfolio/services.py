"""Writes to a person's external CPD: check, change and audit in one transaction. Free text is
plain text (tags removed by the sanitiser) and passes the identifier guard: a portfolio is
shown to appraisers and confirmers. Evidence files are checked for size and type here."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.guard import guard
from learning.models import User
from learning.sanitise import sanitise_text
from learning.services import audit_record
from reflection.portfolio.models import (
    EXTERNAL_CPD_MAX_MINUTES,
    CodeTheme,
    CpdKind,
    ExternalCpd,
)

TEXT_MAX = 2000
TITLE_MAX = 200
# The text the identifier guard reads: a peer's name and role are a colleague's, not a family's.
GUARDED = ("title", "learnt", "practice_change", "peer_summary")
# The file types evidence may be, by extension, and the bytes each kind of file starts with
# (a renamed file of another kind is refused).
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def _text(value: str, *, field: str, limit: int, required: str) -> str:
    text = sanitise_text(value or "").strip()
    if not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("This must be %(n)s characters or fewer.") % {"n": limit}})
    return text


def evidence_check(upload: UploadedFile) -> str:
    """The file's name to show, once its size and type are checked (``ValidationError``
    otherwise)."""
    limit = settings.HOPE_MAX_EVIDENCE_MB
    if upload.size is None or upload.size > limit * 1024 * 1024:
        raise ValidationError(
            {"evidence": _("The file must be smaller than %(limit)s MB.") % {"limit": limit}}
        )
    name = PurePath(upload.name or "").name
    starts = EVIDENCE_TYPES.get(PurePath(name).suffix.lower())
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not starts or not any(head.startswith(s) for s in starts):
        raise ValidationError({"evidence": _("The file must be a PDF, JPG or PNG.")})
    return sanitise_text(name)[:TITLE_MAX] or "evidence"


def _checked(
    *,
    done_on: date | None,
    title: str,
    kind: str,
    minutes: int,
    learnt: str,
    practice_change: str,
    themes: list[str],
    peer_reflection: bool = False,
    peer_name: str = "",
    peer_role: str = "",
    peer_summary: str = "",
) -> dict:
    errors: dict[str, str] = {}
    if done_on is None:
        errors["done_on"] = _("Enter the date of the learning")
    elif done_on > timezone.localdate():
        errors["done_on"] = _("The date of the learning must be today or in the past")
    if kind not in CpdKind.values:
        errors["kind"] = _("Select the type of learning")
    if not 1 <= minutes <= EXTERNAL_CPD_MAX_MINUTES:
        errors["minutes"] = _("Enter the hours as a number from 0.25 to %(n)d") % {
            "n": EXTERNAL_CPD_MAX_MINUTES // 60
        }
    if any(theme not in CodeTheme.values for theme in themes):
        errors["themes"] = _("Select the Code themes or standards from the list")
    texts: dict[str, str] = {}
    for field, value, limit, required in (
        ("title", title, TITLE_MAX, _("Enter a title for the learning")),
        ("learnt", learnt, TEXT_MAX, _("Enter what you learnt")),
        ("practice_change", practice_change, TEXT_MAX, _("Enter how it changed your practice")),
    ):
        try:
            texts[field] = _text(value, field=field, limit=limit, required=required)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    peer = {"peer_name": "", "peer_role": "", "peer_summary": ""}
    if peer_reflection:
        for field, value, limit, required in (
            ("peer_name", peer_name, TITLE_MAX, _("Enter the name of the peer")),
            ("peer_role", peer_role, TITLE_MAX, _("Enter the peer's role")),
            (
                "peer_summary",
                peer_summary,
                TEXT_MAX,
                _("Enter what you learnt from the peer reflection"),
            ),
        ):
            try:
                peer[field] = _text(value, field=field, limit=limit, required=required)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return {
        "peer_reflection": bool(peer_reflection),
        **peer,
        "done_on": done_on,
        "kind": kind,
        "minutes": minutes,
        "themes": sorted(set(themes), key=CodeTheme.values.index),
        **texts,
    }


@transaction.atomic
def external_cpd_create(
    *,
    owner: User,
    done_on: date | None,
    title: str,
    kind: str,
    minutes: int,
    participatory: bool,
    learnt: str,
    practice_change: str,
    themes: list[str],
    peer_reflection: bool = False,
    peer_name: str = "",
    peer_role: str = "",
    peer_summary: str = "",
    evidence: UploadedFile | None = None,
    confirm_identifiers: bool = False,
) -> ExternalCpd:
    """Log CPD done away from the platform. The audit row holds the id, the hours and the
    kinds of identifier the writer confirmed, never the text."""
    values = _checked(
        done_on=done_on,
        title=title,
        kind=kind,
        minutes=minutes,
        learnt=learnt,
        practice_change=practice_change,
        themes=themes,
        peer_reflection=peer_reflection,
        peer_name=peer_name,
        peer_role=peer_role,
        peer_summary=peer_summary,
    )
    evidence_name = evidence_check(evidence) if evidence is not None else ""
    checked = guard(
        {k: values[k] for k in GUARDED if values[k]},
        confirmed=confirm_identifiers,
    )
    item = ExternalCpd(owner=owner, participatory=bool(participatory), **values)
    if evidence is not None:
        item.evidence_name = evidence_name
        item.evidence.save(evidence_name, evidence, save=False)
    item.save()
    audit_record(
        action="portfolio.external_cpd_added",
        actor=owner,
        target=item,
        data={"minutes": item.minutes, "evidence": bool(item.evidence), **checked.audit},
    )
    return item


@transaction.atomic
def external_cpd_update(
    *,
    owner: User,
    item: ExternalCpd,
    done_on: date | None,
    title: str,
    kind: str,
    minutes: int,
    participatory: bool,
    learnt: str,
    practice_change: str,
    themes: list[str],
    peer_reflection: bool = False,
    peer_name: str = "",
    peer_role: str = "",
    peer_summary: str = "",
    evidence: UploadedFile | None = None,
    remove_evidence: bool = False,
    confirm_identifiers: bool = False,
) -> ExternalCpd:
    """Change one of the owner's entries; a new file replaces the old one."""
    row = ExternalCpd.objects.select_for_update().filter(pk=item.pk).first()
    if row is None or row.owner_id != owner.pk:
        raise PermissionDenied
    values = _checked(
        done_on=done_on,
        title=title,
        kind=kind,
        minutes=minutes,
        learnt=learnt,
        practice_change=practice_change,
        themes=themes,
        peer_reflection=peer_reflection,
        peer_name=peer_name,
        peer_role=peer_role,
        peer_summary=peer_summary,
    )
    evidence_name = evidence_check(evidence) if evidence is not None else ""
    checked = guard(
        {k: values[k] for k in GUARDED if values[k]},
        confirmed=confirm_identifiers,
    )
    for name, value in values.items():
        setattr(row, name, value)
    row.participatory = bool(participatory)
    row.updated_at = timezone.now()
    old = row.evidence.name if row.evidence else ""
    if evidence is not None:
        row.evidence_name = evidence_name
        row.evidence.save(evidence_name, evidence, save=False)
    elif remove_evidence:
        row.evidence = ""
        row.evidence_name = ""
    row.save()
    if old and old != (row.evidence.name if row.evidence else ""):
        storage = row.evidence.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_record(
        action="portfolio.external_cpd_changed",
        actor=owner,
        target=row,
        data={"minutes": row.minutes, "evidence": bool(row.evidence), **checked.audit},
    )
    return row


@transaction.atomic
def external_cpd_delete(*, owner: User, item: ExternalCpd) -> None:
    """Delete one of the owner's entries and its evidence file (after the commit)."""
    row = ExternalCpd.objects.select_for_update().filter(pk=item.pk).first()
    if row is None or row.owner_id != owner.pk:
        raise PermissionDenied
    stored = row.evidence.name if row.evidence else ""
    storage = row.evidence.storage
    audit_record(
        action="portfolio.external_cpd_deleted", actor=owner, target=row, data={"id": row.pk}
    )
    row.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
