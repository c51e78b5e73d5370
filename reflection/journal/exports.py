"""The author's whole journal as a download: JSON and PDF.

``journal_export_rows`` reads every entry in one query (the lesson title joined in), decrypted
in the application; ``journal_export_record`` writes the audit row (the format and the number of
entries, never content); the builders are pure functions from those rows to bytes.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import asdict, dataclass
from html import unescape

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from learning import permissions
from learning.models import User
from learning.services import audit_record
from reflection.journal.catalogue import ReflectiveModel, sections_for
from reflection.journal.selectors import journal_entries_visible_to

EXPORT_FORMATS = ("json", "pdf")
_TAGS = re.compile(r"<[^>]+>")


def html_text(html: str) -> str:
    """Stored reflection HTML as plain text, paragraphs separated by blank lines."""
    html = re.sub(r"</p>\s*<p>", "\n\n", html or "")
    html = re.sub(r"<br\s*/?>", "\n", html)
    html = re.sub(r"</li>\s*", "\n", html)
    return unescape(_TAGS.sub("", html)).strip()


@dataclass(frozen=True)
class ExportSection:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class ExportEntry:
    id: int
    title: str
    experienced_on: str
    model: str
    model_label: str
    tags: list[str]
    sections: list[ExportSection]
    summary: str
    prompt: str
    lesson_title: str
    is_draft: bool
    created_at: str
    updated_at: str


def journal_export_rows(user) -> list[ExportEntry]:
    """Every one of the person's entries, oldest experience first (one query)."""
    entries = (
        journal_entries_visible_to(user).select_related("lesson").order_by("experienced_on", "pk")
    )
    rows = []
    for entry in entries:
        stored = entry.sections
        rows.append(
            ExportEntry(
                id=entry.pk,
                title=entry.title,
                experienced_on=entry.experienced_on.isoformat(),
                model=entry.model,
                model_label=str(ReflectiveModel(entry.model).label),
                tags=entry.tag_list,
                sections=[
                    ExportSection(key=s.key, label=str(s.label), text=html_text(stored[s.key]))
                    for s in sections_for(entry.model)
                    if html_text(stored.get(s.key, ""))
                ],
                summary=html_text(entry.summary),
                prompt=entry.prompt,
                lesson_title=entry.lesson.title if entry.lesson else "",
                is_draft=entry.is_draft,
                created_at=entry.created_at.isoformat(),
                updated_at=entry.updated_at.isoformat(),
            )
        )
    return rows


@transaction.atomic
def journal_export_record(
    *, user: User, export_format: str, entry_count: int, ip_address: str | None = None
) -> None:
    """The audit row for an export: who, which format, how many entries. Never content."""
    if not permissions.can_keep_journal(user):
        raise PermissionDenied
    audit_record(
        action="journal.exported",
        actor=user,
        ip_address=ip_address,
        data={"format": export_format, "entries": entry_count},
    )


def journal_json(rows: list[ExportEntry], *, holder_name: str) -> str:
    return json.dumps(
        {
            "journal_of": holder_name,
            "exported_at": timezone.now().isoformat(),
            "product": settings.HOPE_PRODUCT_NAME,
            "entries": [asdict(row) for row in rows],
        },
        ensure_ascii=False,
        indent=2,
    )


def journal_pdf(rows: list[ExportEntry], *, holder_name: str) -> bytes:
    """The journal on A4 portrait: one heading per entry, its sections, then its summary."""
    from modules.pdf import _p, _styles, a4_document

    product = settings.HOPE_PRODUCT_NAME
    buffer = io.BytesIO()
    doc = a4_document(buffer, title=_("Reflective journal: %(name)s") % {"name": holder_name})
    s = _styles()
    story = [
        _p(_("My reflective journal"), s["h1"]),
        _p(_("Name: %(name)s") % {"name": holder_name}, s["body"]),
        _p(
            _("Produced by %(product)s on %(date)s. This is private: keep it safe.")
            % {"product": product, "date": timezone.localdate().strftime("%-d %B %Y")},
            s["body"],
        ),
    ]
    if not rows:
        story += [Spacer(1, 6 * mm), _p(_("You have not written any reflections yet."), s["body"])]
    for row in rows:
        story.append(_p(row.title, s["h2"]))
        meta = [row.experienced_on, row.model_label]
        if row.tags:
            meta.append(_("Tags: %(tags)s") % {"tags": ", ".join(row.tags)})
        if row.is_draft:
            meta.append(_("Draft"))
        story.append(_p(" · ".join(meta), s["cell"]))
        if row.lesson_title:
            story.append(
                _p(_("From the lesson “%(title)s”") % {"title": row.lesson_title}, s["cell"])
            )
        if row.prompt:
            story.append(_p(row.prompt, s["cell"]))
        for section in row.sections:
            story.append(_p(section.label, s["cell_bold"]))
            for paragraph in section.text.split("\n\n"):
                story.append(_p(paragraph, s["body"]))
        if row.summary:
            story.append(_p(_("What I learned"), s["cell_bold"]))
            for paragraph in row.summary.split("\n\n"):
                story.append(_p(paragraph, s["body"]))
    doc.build(story)
    return buffer.getvalue()
