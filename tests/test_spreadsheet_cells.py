"""Every CSV the platform writes protects cells from formula injection in one way, and leaves
empty and ordinary cells as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from learning.reports.csv_export import csv_cell

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("", ""),
        (None, ""),
        ("Ordinary text", "Ordinary text"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-thing", "'-thing"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        (-2, "-2"),
        (3, "3"),
    ],
)
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


def test_formula_protection_has_one_home():
    """A second hand-written check drifted once (it turned every empty cell into "'")."""
    pattern = re.compile(r"""\(\s*["']=["'],\s*["']\+["']|in\s+["']=\+-@""")
    homes = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts or path.parts[-2] == "tests":
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            homes.append(str(path.relative_to(ROOT)))
    assert homes == ["learning/reports/csv_export.py"]


def test_supervision_log_csv_keeps_empty_cells_empty():
    from datetime import date

    from reflection.supervision.exports import LogRow, supervision_log_csv

    fields = LogRow.__dataclass_fields__
    values = dict.fromkeys(fields, "")
    values.update(
        held_on=date(2026, 3, 1), duration_minutes=60, functions=[], themes=[], kind="=cmd"
    )
    text = supervision_log_csv([LogRow(**values)], include_summaries=False)
    row = text.splitlines()[1]
    assert "'" not in row.replace("'=cmd", "")
    assert row.startswith("2026-03-01,'=cmd,")
