"""A report table as CSV, with every cell protected against formula injection."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.utils.translation import gettext as _

from learning.reports.registry import ReportTable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Text a spreadsheet will not run as a formula. Numbers stay numbers; negative numbers
    (a fall in confidence) are not formulas and are kept as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_csv(table: ReportTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    notes = [str(n) for n in (table.note, *table.footnotes) if n]
    if notes:
        writer.writerow([])
        for note in notes:
            writer.writerow([csv_cell(note)])
    return out.getvalue()
