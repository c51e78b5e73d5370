"""PDF builders (reportlab): a certificate of completion and a CPD record.

Pure functions from plain values to bytes; nothing here reads the database. Text is drawn in
DejaVu Sans, shipped with the project as the npm package ``dejavu-fonts-ttf`` (package.json), so
every name prints whatever the server has installed: Łucja, Ŵyn, Siân. The built-in Helvetica
cannot draw those, and fonts are never taken from the operating system. ``HOPE_PDF_FONT_DIR``
may point at another folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from learning.dates import nhs_date
from learning.records import ExternalCpdLine
from learning.site_url import absolute_url
from modules.cpd.selectors import CpdRecord, duration_text, hours_decimal

NHS_BLUE = colors.HexColor("#005eb8")
NHS_DARK_GREY = colors.HexColor("#425563")
NHS_PALE_GREY = colors.HexColor("#e8edee")

FONT_REGULAR, FONT_BOLD = "HopeSans", "HopeSans-Bold"


def font_dir() -> Path:
    """The folder of DejaVu TrueType files: ``HOPE_PDF_FONT_DIR``, or the npm package's."""
    configured = getattr(settings, "HOPE_PDF_FONT_DIR", "")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR) / "node_modules" / "dejavu-fonts-ttf" / "ttf"


@cache
def _fonts() -> tuple[str, str]:
    """(regular, bold) font names, registering DejaVu Sans once."""
    folder = font_dir()
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        raise ImproperlyConfigured(
            f"The PDF fonts are missing: {regular} and {bold} were not found. Run `npm ci` "
            "(the package dejavu-fonts-ttf ships them) or set HOPE_PDF_FONT_DIR."
        )
    pdfmetrics.registerFont(TTFont(FONT_REGULAR, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    return FONT_REGULAR, FONT_BOLD


def _style(name: str, size: int, *, bold: bool = False, centre: bool = False, **kw):
    regular, bold_font = _fonts()
    return ParagraphStyle(
        name,
        fontName=bold_font if bold else regular,
        fontSize=size,
        leading=round(size * 1.35),
        alignment=TA_CENTER if centre else TA_LEFT,
        **kw,
    )


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": _style("title", 30, bold=True, centre=True, textColor=NHS_BLUE, spaceAfter=6 * mm),
        "lead": _style("lead", 14, centre=True, textColor=NHS_DARK_GREY, spaceAfter=3 * mm),
        "name": _style("name", 26, bold=True, centre=True, spaceAfter=4 * mm),
        "module": _style(
            "module", 20, bold=True, centre=True, textColor=NHS_BLUE, spaceAfter=6 * mm
        ),
        "centre": _style("centre", 13, centre=True),
        "small": _style("small", 10, centre=True, textColor=NHS_DARK_GREY),
        "h1": _style("h1", 20, bold=True, textColor=NHS_BLUE, spaceAfter=4 * mm),
        "h2": _style("h2", 14, bold=True, spaceBefore=5 * mm, spaceAfter=2 * mm),
        "body": _style("body", 10),
        "cell": _style("cell", 9),
        "cell_bold": _style("cell_bold", 9, bold=True),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (reportlab reads its markup, so escape it)."""
    return Paragraph(escape(str(text)), style)


def _long_date(value: date) -> str:
    """ "2 December 2026", "2 Rhagfyr 2026": the project's date, in the active language."""
    return nhs_date(value)


def a4_document(buffer, *, title: str) -> SimpleDocTemplate:
    """The A4 portrait document every record export uses (CPD record, journal, reflective
    account, supervision log): 18 mm margins, the product as author and creator."""
    product = settings.HOPE_PRODUCT_NAME
    margin = 18 * mm
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author=product,
        creator=product,
    )


def certificate_pdf(
    *,
    holder_name: str,
    module_title: str,
    completed_on: date,
    cpd_minutes: int,
    code: str,
    verify_url: str,
    issued_on: date,
) -> bytes:
    """A one-page A4 landscape certificate of completion."""
    product = settings.HOPE_PRODUCT_NAME
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=_("Certificate of completion: %(module)s") % {"module": module_title},
        author=product,
        subject=_("Certificate %(code)s") % {"code": code},
        creator=product,
    )
    s = _styles()
    story = [
        Spacer(1, 8 * mm),
        _p(product, s["lead"]),
        _p(_("Certificate of completion"), s["title"]),
        _p(_("This is to certify that"), s["lead"]),
        _p(holder_name, s["name"]),
        _p(_("has completed the online learning module"), s["lead"]),
        _p(module_title, s["module"]),
        _p(_("Completed on %(date)s") % {"date": _long_date(completed_on)}, s["centre"]),
        _p(
            _("Continuing professional development (CPD): %(time)s")
            % {"time": duration_text(cpd_minutes)},
            s["centre"],
        ),
        Spacer(1, 12 * mm),
        _p(
            _("Certificate code %(code)s, issued on %(date)s")
            % {"code": code, "date": _long_date(issued_on)},
            s["small"],
        ),
        _p(_("Check this certificate at %(url)s") % {"url": verify_url}, s["small"]),
    ]

    def border(canvas, _doc):
        width, height = landscape(A4)
        canvas.saveState()
        canvas.setStrokeColor(NHS_BLUE)
        canvas.setLineWidth(4)
        canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
        canvas.setLineWidth(1)
        canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)
        canvas.restoreState()

    doc.build(story, onFirstPage=border, onLaterPages=border)
    return buffer.getvalue()


def _table(rows: list, widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), NHS_PALE_GREY),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, NHS_DARK_GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def external_cpd_table(lines: list[ExternalCpdLine], s: dict) -> list:
    """CPD the person logged elsewhere, in the NMC's columns, with what they learnt and how it
    changed their practice (and the peer reflection, for Social Work England)."""
    rows = [
        [
            _p(_("Date"), s["cell_bold"]),
            _p(_("Activity"), s["cell_bold"]),
            _p(_("Hours"), s["cell_bold"]),
            _p(_("Participatory hours"), s["cell_bold"]),
            _p(_("What I learnt and how it changed my practice"), s["cell_bold"]),
        ]
    ]
    for line in lines:
        text = [_p(line.learnt, s["cell"]), _p(line.practice_change, s["cell"])]
        if line.themes:
            text.append(_p("; ".join(line.themes), s["cell"]))
        if line.peer:
            text.append(_p(_("Peer reflection: %(peer)s") % {"peer": line.peer}, s["cell"]))
        rows.append(
            [
                _p(_long_date(line.done_on), s["cell"]),
                [_p(line.title, s["cell"]), _p(line.kind, s["cell"])],
                _p(hours_decimal(line.minutes), s["cell"]),
                _p(hours_decimal(line.minutes if line.participatory else 0), s["cell"]),
                text,
            ]
        )
    return [
        _p(_("CPD logged elsewhere"), s["h2"]),
        _table(rows, [24 * mm, 40 * mm, 16 * mm, 22 * mm, 72 * mm]),
    ]


def cpd_record_pdf(*, record: CpdRecord, holder_name: str, registration: str = "") -> bytes:
    """The CPD record on A4 portrait: totals for the last three years, then each year's
    modules in a table."""
    product = settings.HOPE_PRODUCT_NAME
    buffer = io.BytesIO()
    doc = a4_document(buffer, title=_("CPD record: %(name)s") % {"name": holder_name})
    s = _styles()
    story = [
        _p(_("CPD record"), s["h1"]),
        _p(_("Name: %(name)s") % {"name": holder_name}, s["body"]),
        *(
            [_p(_("Registration: %(number)s") % {"number": registration}, s["body"])]
            if registration
            else []
        ),
        _p(
            _("Produced by %(product)s on %(date)s")
            % {"product": product, "date": _long_date(record.today)},
            s["body"],
        ),
        _p(
            _("CPD in the last 3 years (%(start)s to %(end)s): %(time)s (%(hours)s hours)")
            % {
                "start": _long_date(record.window_start),
                "end": _long_date(record.today),
                "time": duration_text(record.window_minutes),
                "hours": hours_decimal(record.window_minutes),
            },
            s["body"],
        ),
        _p(
            _(
                "Each module is individual online learning. Certificate codes can be checked "
                "at %(url)s followed by the code."
            )
            % {"url": absolute_url("/certificates/")},
            s["body"],
        ),
    ]
    if not record.entries and not record.external:
        story.append(Spacer(1, 6 * mm))
        story.append(_p(_("No modules completed yet."), s["body"]))
    for year in record.years:
        story.append(
            _p(_("%(year)s: %(time)s") % {"year": year.year, "time": year.duration}, s["h2"])
        )
        rows = [
            [
                _p(_("Completed"), s["cell_bold"]),
                _p(_("Module"), s["cell_bold"]),
                _p(_("CPD time"), s["cell_bold"]),
                _p(_("Certificate"), s["cell_bold"]),
            ]
        ]
        rows += [
            [
                _p(_long_date(e.completed_on), s["cell"]),
                _p(e.title, s["cell"]),
                _p(e.duration, s["cell"]),
                _p(e.certificate_code or "–", s["cell"]),
            ]
            for e in year.entries
        ]
        table = Table(rows, colWidths=[30 * mm, 68 * mm, 30 * mm, 46 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), NHS_PALE_GREY),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, NHS_DARK_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story.append(table)
    if record.external:
        story.extend(external_cpd_table(record.external, s))
    if record.reflective_accounts:
        story.append(_p(_("Written reflective accounts signed off by a supervisor"), s["h2"]))
        rows = [
            [
                _p(_("Signed off"), s["cell_bold"]),
                _p(_("Reflection"), s["cell_bold"]),
                _p(_("Signed off by"), s["cell_bold"]),
            ]
        ]
        rows += [
            [
                _p(_long_date(a.signed_on), s["cell"]),
                _p(a.title, s["cell"]),
                _p(a.signed_by, s["cell"]),
            ]
            for a in record.reflective_accounts
        ]
        table = Table(rows, colWidths=[30 * mm, 78 * mm, 66 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), NHS_PALE_GREY),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, NHS_DARK_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return buffer.getvalue()
