"""Reflective accounts and CPD logged elsewhere on a person's CPD record, without the CPD code
knowing where they live.

The journal (``reflection``) registers a source that lists a person's signed-off reflections;
the CPD record (``modules``) reads them through :func:`reflective_accounts_for`. Neither app
imports the other. Sources return only what the record shows: dates, the title the author gave
their own entry, who signed it off and a link — never reflective text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise

# The NMC asks nurses and midwives for five written reflective accounts every three years.
NMC_REFLECTIVE_ACCOUNTS = 5


@dataclass(frozen=True)
class ReflectiveAccount:
    signed_on: date
    title: str
    signed_by: str
    url: str


_SOURCES: dict[str, Callable] = {}


def register_reflective_account_source(key: str, source: Callable) -> None:
    """``source(user)`` returns the person's own signed-off reflections (one query)."""
    _SOURCES[key] = source


def reflective_accounts_for(user) -> list[ReflectiveAccount]:
    """The person's signed-off reflections from every source, newest first."""
    accounts: list[ReflectiveAccount] = []
    for key in sorted(_SOURCES):
        accounts.extend(_SOURCES[key](user))
    return sorted(accounts, key=lambda a: (a.signed_on, a.title), reverse=True)


@dataclass(frozen=True)
class RecordLink:
    """A page the CPD record points to that lives in another app (the revalidation portfolio),
    named by its URL name so that the CPD code does not import it."""

    url_name: str
    label: str | Promise
    description: str | Promise


_LINKS: dict[str, RecordLink] = {}


def register_record_link(key: str, link: RecordLink) -> None:
    _LINKS[key] = link


def record_links() -> list[RecordLink]:
    """The registered links, in the order of their keys. No queries."""
    return [_LINKS[key] for key in sorted(_LINKS)]


@dataclass(frozen=True)
class ExternalCpdLine:
    """A piece of CPD the person logged themselves (in the revalidation portfolio), as the CPD
    record's exports list it: what they wrote, never anyone else's."""

    done_on: date
    title: str
    kind: str
    minutes: int
    participatory: bool
    learnt: str
    practice_change: str
    themes: tuple[str, ...] = ()
    peer: str = ""


_EXTERNAL: dict[str, Callable] = {}


def register_external_cpd_source(key: str, source: Callable) -> None:
    """``source(user)`` returns the person's own logged CPD, newest first (one query)."""
    _EXTERNAL[key] = source


def external_cpd_for(user) -> list[ExternalCpdLine]:
    """The person's logged CPD from every source, newest first."""
    lines: list[ExternalCpdLine] = []
    for key in sorted(_EXTERNAL):
        lines.extend(_EXTERNAL[key](user))
    return sorted(lines, key=lambda line: (line.done_on, line.title), reverse=True)
