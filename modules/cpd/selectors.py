"""A person's CPD record: the modules they have completed, with the CPD time each is worth,
totals for the last three years (the NMC revalidation period) and a CSV export.

Reads only, two queries for the page (four with the details the exports add), whatever the
number of completions. A module's certificate, where there is one, is the source of truth: its
title, date and minutes were frozen when it was issued, and it outlives the module's page.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning import permissions
from learning.language import in_reader_language
from learning.models import User
from learning.records import (
    NMC_REFLECTIVE_ACCOUNTS,
    ExternalCpdLine,
    ReflectiveAccount,
    external_cpd_for,
    reflective_accounts_for,
)
from learning.reports.csv_export import csv_cell
from learning.site_url import absolute_url
from modules.models import Certificate, Enrolment, LearningOutcome, ModulePage

# Completions per person are bounded by the size of the curriculum; this only stops a runaway.
CPD_MAX_ROWS = 1000
WINDOW_YEARS = 3


@dataclass(frozen=True)
class CpdEntry:
    completed_on: date
    title: str
    cpd_minutes: int
    certificate_code: str = ""
    module_id: int | None = None
    summary: str = ""
    topics: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()

    @property
    def duration(self) -> str:
        return duration_text(self.cpd_minutes)


@dataclass(frozen=True)
class CpdYear:
    year: int
    entries: list[CpdEntry]

    @property
    def minutes(self) -> int:
        return sum(e.cpd_minutes for e in self.entries)

    @property
    def duration(self) -> str:
        return duration_text(self.minutes)


@dataclass(frozen=True)
class CpdRecord:
    entries: list[CpdEntry]  # newest first
    today: date
    window_start: date
    years: list[CpdYear] = field(default_factory=list)
    # Reflections a supervisor signed off (from the journal, through ``learning.records``).
    reflective_accounts: list[ReflectiveAccount] = field(default_factory=list)
    reflective_accounts_needed: int = NMC_REFLECTIVE_ACCOUNTS
    # CPD the person logged in their revalidation portfolio (the exports only).
    external: list[ExternalCpdLine] = field(default_factory=list)

    @property
    def window_reflective_accounts(self) -> list[ReflectiveAccount]:
        return [a for a in self.reflective_accounts if a.signed_on >= self.window_start]

    @property
    def window_entries(self) -> list[CpdEntry]:
        return [e for e in self.entries if e.completed_on >= self.window_start]

    @property
    def window_minutes(self) -> int:
        return sum(e.cpd_minutes for e in self.window_entries)

    @property
    def window_duration(self) -> str:
        return duration_text(self.window_minutes)

    @property
    def total_minutes(self) -> int:
        return sum(e.cpd_minutes for e in self.entries)


def duration_text(minutes: int) -> str:
    """``150`` → "2 hours 30 minutes"; ``45`` → "45 minutes"; ``0`` → "0 minutes"."""
    hours, mins = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if mins or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins})
    return " ".join(parts)


def hours_decimal(minutes: int) -> str:
    """Minutes as decimal hours to two places, as CPD logs ask for: ``90`` → "1.50"."""
    hours = (Decimal(int(minutes)) / Decimal(60)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(hours)


def window_start(today: date) -> date:
    """The first day of the last ``WINDOW_YEARS`` years, counting back from ``today``."""
    try:
        return today.replace(year=today.year - WINDOW_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - WINDOW_YEARS, day=28)


# --- Selectors ------------------------------------------------------------------------------


def cpd_entries_for(user: User | None, *, details: bool = False) -> list[CpdEntry]:
    """Everything ``user`` has completed, newest first. ``details`` adds each module's topics
    and learning outcomes (two more queries), for the exports."""
    if not permissions.is_signed_in(user):
        return []
    certificates = list(
        Certificate.objects.filter(user=user)
        .order_by("-completed_on", "-pk")
        .values_list("module_id", "code", "module_title", "cpd_minutes", "completed_on")[
            :CPD_MAX_ROWS
        ]
    )
    enrolments = list(
        Enrolment.objects.filter(user=user, completed_at__isnull=False)
        .order_by("-completed_at", "-pk")
        .values_list(
            "module_id", "completed_at", "module__title", "module__cpd_minutes", "module__summary"
        )[:CPD_MAX_ROWS]
    )
    summaries = {module_id: summary for module_id, _at, _t, _m, summary in enrolments}
    certified = {module_id for module_id, *_rest in certificates if module_id is not None}
    module_ids = certified | set(summaries)
    topics, outcomes = _module_details(module_ids) if details and module_ids else ({}, {})

    entries = [
        CpdEntry(
            completed_on=completed_on,
            title=title,
            cpd_minutes=minutes,
            certificate_code=code,
            module_id=module_id,
            summary=summaries.get(module_id, ""),
            topics=topics.get(module_id, ()),
            outcomes=outcomes.get(module_id, ()),
        )
        for module_id, code, title, minutes, completed_on in certificates
    ]
    entries += [
        CpdEntry(
            completed_on=timezone.localdate(completed_at),
            title=title,
            cpd_minutes=minutes,
            module_id=module_id,
            summary=summary,
            topics=topics.get(module_id, ()),
            outcomes=outcomes.get(module_id, ()),
        )
        for module_id, completed_at, title, minutes, summary in enrolments
        if module_id not in certified
    ]
    entries.sort(key=lambda e: (e.completed_on, e.title), reverse=True)
    return entries


def _module_details(module_ids: set[int]) -> tuple[dict, dict]:
    topics: dict[int, list[str]] = {}
    for module_id, name, name_cy in (
        ModulePage.topics.through.objects.filter(modulepage_id__in=module_ids)
        .order_by("topic__sort_order", "topic__name")
        .values_list("modulepage_id", "topic__name", "topic__name_cy")
    ):
        topics.setdefault(module_id, []).append(in_reader_language(name, name_cy))
    outcomes: dict[int, list[str]] = {}
    for module_id, text in (
        LearningOutcome.objects.filter(page_id__in=module_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "text")
    ):
        outcomes.setdefault(module_id, []).append(text)
    return (
        {k: tuple(v) for k, v in topics.items()},
        {k: tuple(v) for k, v in outcomes.items()},
    )


def cpd_record_for(
    user: User | None,
    *,
    details: bool = False,
    external: bool = False,
    today: date | None = None,
) -> CpdRecord:
    """``user``'s CPD record, grouped by calendar year (newest first). ``external`` adds the
    CPD they logged elsewhere (one more query), for the exports."""
    today = today or timezone.localdate()
    entries = cpd_entries_for(user, details=details)
    years: dict[int, list[CpdEntry]] = {}
    for entry in entries:
        years.setdefault(entry.completed_on.year, []).append(entry)
    return CpdRecord(
        entries=entries,
        today=today,
        window_start=window_start(today),
        years=[CpdYear(year=y, entries=e) for y, e in sorted(years.items(), reverse=True)],
        reflective_accounts=reflective_accounts_for(user) if permissions.is_signed_in(user) else [],
        external=external_cpd_for(user) if external and permissions.is_signed_in(user) else [],
    )


# --- CSV ------------------------------------------------------------------------------------


def cpd_csv_header() -> list[str]:
    return [
        _("Date"),
        _("Activity"),
        _("Type of learning"),
        _("Method"),
        _("Hours"),
        _("Participatory hours"),
        _("Topic"),
        _("Learning outcomes"),
        _("Description"),
        _("Certificate code"),
        _("Certificate verification link"),
    ]


def _description(entry: CpdEntry) -> str:
    text = _("Completed the %(product)s online learning module “%(title)s”.") % {
        "product": settings.HOPE_PRODUCT_NAME,
        "title": entry.title,
    }
    return f"{text} {entry.summary}".strip()


def cpd_csv(record: CpdRecord) -> str:
    """The record as CSV for an NMC revalidation CPD log or a Social Work England CPD record:
    one row per completed module, oldest first, then one per piece of CPD logged elsewhere,
    then one per signed-off reflective account.
    Online modules are individual learning, so participatory hours are 0; a reflective account
    carries no hours of its own."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(cpd_csv_header())
    for entry in reversed(record.entries):
        verify = ""
        if entry.certificate_code:
            verify = absolute_url(
                reverse("certificate_verify", kwargs={"code": entry.certificate_code})
            )
        writer.writerow(
            csv_cell(value)
            for value in (
                entry.completed_on.isoformat(),
                entry.title,
                _("Online learning module"),
                _("Individual learning: self-directed online module"),
                hours_decimal(entry.cpd_minutes),
                hours_decimal(0),
                "; ".join(entry.topics),
                "; ".join(entry.outcomes),
                _description(entry),
                entry.certificate_code,
                verify,
            )
        )
    for line in reversed(record.external):
        description = _("What I learnt: %(learnt)s How it changed my practice: %(change)s") % {
            "learnt": line.learnt,
            "change": line.practice_change,
        }
        if line.peer:
            description += " " + _("Peer reflection: %(peer)s") % {"peer": line.peer}
        writer.writerow(
            csv_cell(value)
            for value in (
                line.done_on.isoformat(),
                line.title,
                line.kind,
                _("Participatory learning") if line.participatory else _("Individual learning"),
                hours_decimal(line.minutes),
                hours_decimal(line.minutes if line.participatory else 0),
                "; ".join(line.themes),
                "",
                description,
                "",
                "",
            )
        )
    for account in reversed(record.reflective_accounts):
        writer.writerow(
            csv_cell(value)
            for value in (
                account.signed_on.isoformat(),
                account.title,
                _("Written reflective account"),
                _("Reflection signed off by a supervisor"),
                "",
                "",
                "",
                "",
                _("Signed off by %(signer)s.") % {"signer": account.signed_by},
                "",
                "",
            )
        )
    return out.getvalue()
