"""The registry of report sections.

``learning`` may not import the apps that hold the figures, so each app registers its sections
from a ``reports.py`` module (found by ``autodiscover_modules("reports")`` in
``LearningConfig.ready()``). A section builds one ``ReportTable``: aggregate figures only, never
journal text, supervision summaries, check-ins, action text or post content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

GROUP_BY_CHOICES = ("kind", "region")


@dataclass
class ChartSpec:
    """A bar chart of one column of the table: ``labels`` and ``values`` (a number, or the text
    shown instead of it: "<5", "Hidden"; ``None`` = "<5")."""

    title: str
    labels: list[str]
    values: list[float | str | None]
    unit: str = ""


@dataclass
class ReportTable:
    caption: str
    headers: list[str]
    rows: list[list[Any]]
    chart: ChartSpec | None = None
    note: str = ""
    next_cursor: str | None = None
    has_previous: bool = False
    # Rows after which a total row follows (national tables), shown in bold.
    total_row: bool = False
    # Plain-English notes written under the figures in the CSV file (how small numbers are
    # protected); the page says the same above the table.
    footnotes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    order: int = 100
    # build(organisation, *, date_from, date_to, after=None, limit=None) -> ReportTable
    build: Callable[..., ReportTable] | None = None
    # build_national(*, date_from, date_to, group_by="kind") -> ReportTable
    build_national: Callable[..., ReportTable] | None = None
    description: str = ""
    # The title on the national page, where it differs.
    national_title: str = ""
    extra: dict = field(default_factory=dict)


_SECTIONS: dict[str, ReportSection] = {}


def register_section(section: ReportSection) -> None:
    _SECTIONS[section.key] = section


def organisation_sections() -> list[ReportSection]:
    return sorted(
        (s for s in _SECTIONS.values() if s.build is not None), key=lambda s: (s.order, s.key)
    )


def national_sections() -> list[ReportSection]:
    return sorted(
        (
            replace(s, title=s.national_title or s.title)
            for s in _SECTIONS.values()
            if s.build_national is not None
        ),
        key=lambda s: (s.order, s.key),
    )


def get_section(key: str, *, national: bool) -> ReportSection | None:
    sections = national_sections() if national else organisation_sections()
    return next((s for s in sections if s.key == key), None)


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date
