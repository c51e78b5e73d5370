"""What a shared portfolio shows, frozen when the share is made.

``bundle_build`` gathers the chosen parts through the portfolio's own readers — the CPD record,
the written reflective accounts (built from signed-off summaries, never from the journal's
narrative), the practice-related feedback log and the supervision log without discussion
summaries — into plain JSON. ``bundle_read`` turns it back into rows for the public page. The
journal itself is never read here, and a share's page never reads anything but its own row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from learning.models import User
from modules.cpd.selectors import duration_text, hours_decimal
from reflection.portfolio.models import ExternalCpd
from reflection.portfolio.selectors import feedback_log, portfolio_cpd_record
from reflection.signoff.accounts import account_text
from reflection.signoff.models import SignOffRequest
from reflection.supervision.exports import supervision_log_rows

BUNDLE_VERSION = 1


def _cpd(owner: User, evidence: list[ExternalCpd]) -> dict:
    record = portfolio_cpd_record(owner)
    names = {item.pk: item.evidence_name for item in evidence}
    return {
        "window_start": record.window_start.isoformat(),
        "window_duration": record.window_duration,
        "window_participatory_duration": record.window_participatory_duration,
        "rows": [
            {
                "done_on": r.done_on.isoformat(),
                "title": r.title,
                "method": r.method,
                "minutes": r.minutes,
                "participatory": r.participatory,
                "themes": list(r.themes),
                "learnt": r.learnt,
                "practice_change": r.practice_change,
                "evidence_id": r.external_id if r.external_id in names else None,
                "evidence_name": names.get(r.external_id, "") if r.external_id else "",
            }
            for r in record.rows
        ],
    }


def _accounts(accounts: list[SignOffRequest]) -> list[dict]:
    rows = []
    for request in accounts:
        text = account_text(request, themes=[])
        rows.append(
            {
                "title": text.title,
                "nature": text.nature,
                "learning": text.learning,
                "signed_by": text.signed_by,
                "signed_on": text.signed_on.isoformat(),
                "comment": text.comment,
                "version": text.version,
                "content_hash": text.content_hash,
            }
        )
    return rows


def _feedback(owner: User) -> list[dict]:
    return [
        {
            "received_on": item.received_on.isoformat(),
            "source": str(item.get_source_display()),
            "summary": item.summary,
            "learnt": item.learnt,
        }
        for item in feedback_log(owner)
    ]


def _supervision(owner: User) -> list[dict]:
    return [
        {
            "held_on": r.held_on.isoformat(),
            "kind": r.kind,
            "format": r.format,
            "duration_minutes": r.duration_minutes,
            "functions": list(r.functions),
            "themes": list(r.themes),
            "with_whom": r.with_whom,
            "status": r.status,
        }
        for r in supervision_log_rows(owner, include_summaries=False)
    ]


def bundle_build(
    *,
    owner: User,
    include_cpd: bool,
    include_feedback: bool,
    include_supervision: bool,
    accounts: list[SignOffRequest],
    evidence: list[ExternalCpd],
) -> str:
    """The chosen parts as JSON (the share's ``bundle``)."""
    data: dict = {"version": BUNDLE_VERSION, "made_on": timezone.localdate().isoformat()}
    if include_cpd:
        data["cpd"] = _cpd(owner, evidence)
    if accounts:
        data["accounts"] = _accounts(accounts)
    if include_feedback:
        data["feedback"] = _feedback(owner)
    if include_supervision:
        data["supervision"] = _supervision(owner)
    return json.dumps(data, ensure_ascii=False)


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CpdRow:
    done_on: date
    title: str
    method: str
    minutes: int
    participatory: bool
    themes: list[str]
    learnt: str
    practice_change: str
    evidence_id: int | None
    evidence_name: str

    @property
    def hours(self) -> str:
        return hours_decimal(self.minutes)

    @property
    def participatory_hours(self) -> str:
        return hours_decimal(self.minutes if self.participatory else 0)


@dataclass(frozen=True)
class Cpd:
    window_start: date
    window_duration: str
    window_participatory_duration: str
    rows: list[CpdRow]


@dataclass(frozen=True)
class Account:
    title: str
    nature: str
    learning: str
    signed_by: str
    signed_on: date
    comment: str
    version: int
    content_hash: str

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.learning.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Feedback:
    received_on: date
    source: str
    summary: str
    learnt: str


@dataclass(frozen=True)
class SupervisionRow:
    held_on: date
    kind: str
    format: str
    duration_minutes: int
    functions: list[str]
    themes: list[str]
    with_whom: str
    status: str

    @property
    def duration(self) -> str:
        return duration_text(self.duration_minutes)


@dataclass(frozen=True)
class Bundle:
    made_on: date | None = None
    cpd: Cpd | None = None
    accounts: list[Account] = field(default_factory=list)
    feedback: list[Feedback] | None = None
    supervision: list[SupervisionRow] | None = None

    @property
    def evidence_ids(self) -> set[int]:
        if self.cpd is None:
            return set()
        return {r.evidence_id for r in self.cpd.rows if r.evidence_id is not None}


def _day(value: str) -> date:
    return date.fromisoformat(value)


def bundle_read(text: str) -> Bundle:
    """The share's parts as rows; an empty bundle (a revoked share's) reads as nothing."""
    if not text:
        return Bundle()
    data = json.loads(text)
    cpd = None
    if "cpd" in data:
        c = data["cpd"]
        cpd = Cpd(
            window_start=_day(c["window_start"]),
            window_duration=c["window_duration"],
            window_participatory_duration=c["window_participatory_duration"],
            rows=[CpdRow(**{**r, "done_on": _day(r["done_on"])}) for r in c["rows"]],
        )
    feedback = None
    if "feedback" in data:
        feedback = [
            Feedback(**{**f, "received_on": _day(f["received_on"])}) for f in data["feedback"]
        ]
    supervision = None
    if "supervision" in data:
        supervision = [
            SupervisionRow(**{**s, "held_on": _day(s["held_on"])}) for s in data["supervision"]
        ]
    return Bundle(
        made_on=_day(data["made_on"]) if data.get("made_on") else None,
        cpd=cpd,
        accounts=[
            Account(**{**a, "signed_on": _day(a["signed_on"])}) for a in data.get("accounts", [])
        ],
        feedback=feedback,
        supervision=supervision,
    )
