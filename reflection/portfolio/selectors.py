"""Reads for the revalidation portfolio, scoped to the person: another person's entry is the
same 404 as one that does not exist.

The CPD record gathers, in the NMC's columns, three sources: the platform's modules (through
``modules.cpd.selectors``), CPD logged here, and participatory learning the platform already
records — reflective sessions the person attended (their facilitator marked them there) and
group supervision, reflective practice groups and Schwartz Rounds in their supervision records.
A fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import SessionSignup
from learning import permissions
from learning.models import User
from learning.permissions import Person
from learning.records import ExternalCpdLine
from modules.cpd.selectors import (
    CPD_MAX_ROWS,
    cpd_entries_for,
    duration_text,
    hours_decimal,
    window_start,
)
from reflection.portfolio.models import (
    CodeTheme,
    CpdKind,
    ExternalCpd,
    PracticeFeedback,
)
from reflection.supervision.models import SupervisionSession

GROUP_FORMATS = (
    SupervisionSession.Format.GROUP,
    SupervisionSession.Format.REFLECTIVE_GROUP,
    SupervisionSession.Format.ROUND,
)
# The NMC asks for 35 hours of CPD in three years, 20 of them participatory.
NMC_CPD_MINUTES = 35 * 60
NMC_PARTICIPATORY_MINUTES = 20 * 60


def external_cpd_visible_to(user: Person) -> QuerySet[ExternalCpd]:
    if not permissions.is_signed_in(user):
        return ExternalCpd.objects.none()
    return ExternalCpd.objects.filter(owner_id=user.pk)


def external_cpd_get(user: Person, item_id: int) -> ExternalCpd:
    return get_object_or_404(external_cpd_visible_to(user), pk=item_id)


@dataclass(frozen=True)
class PortfolioRow:
    """One line of the CPD record, in the NMC's columns."""

    done_on: date
    title: str
    method: str
    minutes: int
    participatory: bool
    themes: tuple[str, ...] = ()
    learnt: str = ""
    practice_change: str = ""
    external_id: int | None = None
    has_evidence: bool = False
    source: str = ""

    @property
    def hours(self) -> str:
        return hours_decimal(self.minutes)

    @property
    def participatory_hours(self) -> str:
        return hours_decimal(self.minutes if self.participatory else 0)


@dataclass(frozen=True)
class PortfolioRecord:
    rows: list[PortfolioRow]
    today: date
    window_start: date
    needed_minutes: int = NMC_CPD_MINUTES
    needed_participatory_minutes: int = NMC_PARTICIPATORY_MINUTES
    sources: dict[str, int] = field(default_factory=dict)

    @property
    def window_rows(self) -> list[PortfolioRow]:
        return [r for r in self.rows if r.done_on >= self.window_start]

    @property
    def window_minutes(self) -> int:
        return sum(r.minutes for r in self.window_rows)

    @property
    def window_participatory_minutes(self) -> int:
        return sum(r.minutes for r in self.window_rows if r.participatory)

    @property
    def window_duration(self) -> str:
        return duration_text(self.window_minutes)

    @property
    def window_participatory_duration(self) -> str:
        return duration_text(self.window_participatory_minutes)


def _theme_labels(keys: list[str]) -> tuple[str, ...]:
    labels = dict(CodeTheme.choices)
    return tuple(str(labels[k]) for k in keys if k in labels)


def _external_rows(user: User) -> list[PortfolioRow]:
    kinds = dict(CpdKind.choices)
    return [
        PortfolioRow(
            done_on=item.done_on,
            title=item.title,
            method=str(kinds.get(item.kind, item.kind)),
            minutes=item.minutes,
            participatory=item.participatory,
            themes=_theme_labels(item.themes),
            learnt=item.learnt,
            practice_change=item.practice_change,
            external_id=item.pk,
            has_evidence=bool(item.evidence),
            source="external",
        )
        for item in external_cpd_visible_to(user).only(
            "pk",
            "done_on",
            "title",
            "kind",
            "minutes",
            "participatory",
            "themes",
            "learnt",
            "practice_change",
            "evidence",
        )[:CPD_MAX_ROWS]
    ]


def _session_rows(user: User) -> list[PortfolioRow]:
    """Reflective sessions the person attended (not cancelled)."""
    rows = (
        SessionSignup.objects.filter(
            user_id=user.pk, attended=True, session__cancelled_at__isnull=True
        )
        .order_by("-session__starts_at")
        .values_list("session__starts_at", "session__title", "session__duration_minutes")[
            :CPD_MAX_ROWS
        ]
    )
    return [
        PortfolioRow(
            done_on=timezone.localdate(starts_at),
            title=title,
            method=_("Reflective session (group discussion)"),
            minutes=minutes,
            participatory=True,
            source="session",
        )
        for starts_at, title, minutes in rows
    ]


def _supervision_rows(user: User) -> list[PortfolioRow]:
    """Group supervision, reflective practice groups and Schwartz Rounds the person took part
    in: as a party to the supervisory relationship or as a named attendee, once the record is
    confirmed (or is an attendance-only record)."""
    formats = dict(SupervisionSession.Format.choices)
    rows = (
        SupervisionSession.objects.filter(format__in=GROUP_FORMATS)
        .filter(
            Q(relationship__supervisee_id=user.pk)
            | Q(relationship__supervisor_id=user.pk)
            | Q(attendees=user.pk)
        )
        .filter(Q(status=SupervisionSession.Status.LOCKED) | Q(attendance_only=True))
        .distinct()
        .order_by("-held_on", "-pk")
        .values_list("held_on", "format", "duration_minutes")[:CPD_MAX_ROWS]
    )
    return [
        PortfolioRow(
            done_on=held_on,
            title=str(formats.get(fmt, fmt)),
            method=_("Supervision record (group)"),
            minutes=minutes,
            participatory=True,
            source="supervision",
        )
        for held_on, fmt, minutes in rows
    ]


def portfolio_cpd_record(user: User, *, today: date | None = None) -> PortfolioRecord:
    """Everything that counts as CPD for ``user``, newest first."""
    today = today or timezone.localdate()
    modules = [
        PortfolioRow(
            done_on=entry.completed_on,
            title=entry.title,
            method=_("Online learning module"),
            minutes=entry.cpd_minutes,
            participatory=False,
            source="module",
        )
        for entry in cpd_entries_for(user)
    ]
    external = _external_rows(user)
    sessions = _session_rows(user)
    supervision = _supervision_rows(user)
    rows = modules + external + sessions + supervision
    rows.sort(key=lambda r: (r.done_on, r.title), reverse=True)
    return PortfolioRecord(
        rows=rows,
        today=today,
        window_start=window_start(today),
        sources={
            "module": len(modules),
            "external": len(external),
            "session": len(sessions),
            "supervision": len(supervision),
        },
    )


def external_cpd_lines(user: User) -> list[ExternalCpdLine]:
    """The person's logged CPD for the CPD record's exports (``learning.records``; one query)."""
    kinds = dict(CpdKind.choices)
    lines = []
    for item in external_cpd_visible_to(user)[:CPD_MAX_ROWS]:
        peer = ""
        if item.peer_reflection:
            peer = f"{item.peer_name} ({item.peer_role}): {item.peer_summary}"
        lines.append(
            ExternalCpdLine(
                done_on=item.done_on,
                title=item.title,
                kind=str(kinds.get(item.kind, item.kind)),
                minutes=item.minutes,
                participatory=item.participatory,
                learnt=item.learnt,
                practice_change=item.practice_change,
                themes=_theme_labels(item.themes),
                peer=peer,
            )
        )
    return lines


def feedback_visible_to(user: Person) -> QuerySet[PracticeFeedback]:
    if not permissions.is_signed_in(user):
        return PracticeFeedback.objects.none()
    return PracticeFeedback.objects.filter(owner_id=user.pk)


def feedback_get(user: Person, item_id: int) -> PracticeFeedback:
    return get_object_or_404(feedback_visible_to(user), pk=item_id)


def feedback_log(user: User) -> list[PracticeFeedback]:
    """The person's feedback, newest first (bounded like the CPD record)."""
    return list(feedback_visible_to(user)[:CPD_MAX_ROWS])
