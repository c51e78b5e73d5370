"""A supervisee's supervision log for appraisal and revalidation: CSV and PDF.

Dates, types, formats, durations, functions and themes are always included; discussion
summaries only when the supervisee asks for them. Check-ins, action text and addenda are never
exported here. The builders are pure functions from rows to bytes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from community.sessions.selectors import AttendedSession, reflective_sessions_attended_by
from learning.models import User
from learning.permissions import is_signed_in
from learning.reports.csv_export import csv_cell
from learning.services import audit_record
from modules.pdf import _p, _styles, a4_document
from reflection.supervision.models import SupervisionSession

EXPORT_FORMATS = ("csv", "pdf")


@dataclass(frozen=True)
class LogRow:
    held_on: date
    kind: str
    format: str
    duration_minutes: int
    functions: tuple[str, ...]
    themes: tuple[str, ...]
    with_whom: str
    status: str
    summary: str = ""


def supervision_log_rows(user: User, *, include_summaries: bool) -> list[LogRow]:
    """The person's sessions as a supervisee and the community reflective sessions they
    attended, oldest first (three queries)."""
    if not is_signed_in(user):
        return []
    sessions = (
        SupervisionSession.objects.filter(relationship__supervisee_id=user.pk)
        .select_related("relationship__supervisor")
        .prefetch_related("themes")
        .order_by("held_on", "pk")
    )
    if not include_summaries:
        sessions = sessions.defer("summary", "change_comment")
    rows = [
        LogRow(
            held_on=s.held_on,
            kind=str(s.relationship.get_kind_display()),
            format=str(s.get_format_display()),
            duration_minutes=s.duration_minutes,
            functions=tuple(s.functions),
            themes=tuple(t.shown_name for t in s.themes.all()),
            with_whom=str(s.relationship.supervisor or _("A former supervisor")),
            status=str(s.get_status_display()),
            summary=s.summary if include_summaries and not s.attendance_only else "",
        )
        for s in sessions
    ]
    rows += _community_rows(user)
    return sorted(rows, key=lambda r: r.held_on)


def community_log_rows(attended: list[AttendedSession]) -> list[LogRow]:
    """Community reflective sessions the person attended, as log rows (attendance only)."""
    return [
        LogRow(
            held_on=timezone.localtime(a.starts_at).date(),
            kind=_("Community reflective session"),
            format=f"{a.title} ({a.space_name})",
            duration_minutes=a.duration_minutes,
            functions=(),
            themes=(),
            with_whom=a.space_name,
            status=_("Attended"),
        )
        for a in attended
    ]


def _community_rows(user: User) -> list[LogRow]:
    return community_log_rows(reflective_sessions_attended_by(user))


def supervision_export_record(*, user: User, fmt: str, rows: int, summaries: bool) -> None:
    audit_record(
        action="supervision.log_exported",
        actor=user,
        target=user,
        data={"format": fmt, "rows": rows, "summaries": summaries},
    )


HEADERS = (
    "date",
    "type",
    "format",
    "minutes",
    "functions",
    "themes",
    "with",
    "status",
    "summary",
)


def supervision_log_csv(rows: list[LogRow], *, include_summaries: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS if include_summaries else HEADERS[:-1])
    for r in rows:
        values = [
            r.held_on.isoformat(),
            r.kind,
            r.format,
            r.duration_minutes,
            "; ".join(r.functions),
            "; ".join(r.themes),
            r.with_whom,
            r.status,
        ]
        if include_summaries:
            values.append(r.summary)
        writer.writerow([csv_cell(v) for v in values])
    return out.getvalue()


def supervision_log_pdf(rows: list[LogRow], *, holder_name: str, include_summaries: bool) -> bytes:
    product = settings.HOPE_PRODUCT_NAME
    buffer = io.BytesIO()
    doc = a4_document(buffer, title=_("Supervision log: %(name)s") % {"name": holder_name})
    s = _styles()
    story = [
        _p(_("Supervision log"), s["h1"]),
        _p(_("Name: %(name)s") % {"name": holder_name}, s["body"]),
        _p(
            _("Produced by %(product)s on %(date)s")
            % {"product": product, "date": date_format(timezone.localdate(), "j F Y")},
            s["body"],
        ),
        _p(
            _("Total: %(n)s sessions, %(minutes)s minutes.")
            % {"n": len(rows), "minutes": sum(r.duration_minutes for r in rows)},
            s["body"],
        ),
    ]
    if not rows:
        story.append(_p(_("No supervision sessions recorded yet."), s["body"]))
    for r in rows:
        story.append(
            _p(f"{date_format(r.held_on, 'j F Y')}: {r.kind}, {r.format}", s["h2"]),
        )
        story.append(
            _p(
                _("%(minutes)s minutes with %(with)s. %(status)s.")
                % {"minutes": r.duration_minutes, "with": r.with_whom, "status": r.status},
                s["body"],
            )
        )
        if r.functions:
            story.append(_p(_("Functions: %(f)s") % {"f": ", ".join(r.functions)}, s["body"]))
        if r.themes:
            story.append(_p(_("Themes: %(t)s") % {"t": ", ".join(r.themes)}, s["body"]))
        if include_summaries and r.summary:
            story.append(_p(_("Summary: %(s)s") % {"s": r.summary}, s["body"]))
    doc.build(story)
    return buffer.getvalue()
