"""The ESR export as CSV: one row per completion, every cell protected against formula
injection by the core's one cell function."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from learning.reports.csv_export import csv_cell
from modules.esr.selectors import EsrRow


def esr_headers() -> list[str]:
    return [
        _("Name"),
        _("Employee number"),
        _("Course"),
        _("Completion date"),
        _("Hours"),
        _("Certificate code"),
    ]


def esr_csv(rows: list[EsrRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in esr_headers()])
    for row in rows:
        writer.writerow(
            [
                csv_cell(row.name),
                csv_cell(row.employee_number),
                csv_cell(row.course),
                row.completed_on.strftime("%d/%m/%Y"),
                csv_cell(row.hours),
                csv_cell(row.certificate_code),
            ]
        )
    return out.getvalue()
