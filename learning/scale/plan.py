"""Counts at a scale, who is who, and the shared state the stages pass along.

Everything is a function of the scale and a fixed seed, so a fresh database seeded at the same
scale gets the same rows with the same ids. Times are relative to the day of the run (midnight
UTC), so that "recent" data stays recent.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

SEED = 20260909
BENCH_DOMAIN = "bench.holdinghope.test"
BENCH_PASSWORD = "hope-bench-2026"  # noqa: S105  (documented, for benchmark data only)
MARKER_ACTION = "seed_scale.completed"

PERSONAS = ("practitioner", "supervisor", "org_admin", "facilitator")
# Fixed at every scale: organisation 0 and what its people have.
ORG0_MEMBERS = 50
ORG0_SUPERVISORS = range(46, 50)  # besides the supervisor persona (1)
BENCH_SUPERVISEES = (0, *range(4, 11))  # the supervisor persona supervises these 8
BENCH_ENROLMENTS = 25
BENCH_COMPLETED = 10
BENCH_JOURNAL = 12
BENCH_SHARED = 2
BENCH_QUEUE = 6
BENCH_SESSIONS = 10
THREAD_REPLIES = 1000
LESSONS_PER_MODULE = 5
OUTCOMES_PER_MODULE = 3


def scaled(base: float, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(base * scale))


@dataclass(frozen=True)
class Counts:
    users: int
    organisations: int
    generated_modules: int
    progress_rows: int
    journal_entries: int
    sessions: int
    spaces: int
    posts: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        return cls(
            users=scaled(1000, scale, ORG0_MEMBERS + 10),
            organisations=scaled(20, scale, 2),
            generated_modules=scaled(40, scale, BENCH_ENROLMENTS),
            progress_rows=scaled(100_000, scale, 2000),
            journal_entries=scaled(10_000, scale, 100),
            sessions=scaled(2000, scale, 100),
            spaces=scaled(20, scale, 2),
            posts=scaled(10_000, scale, THREAD_REPLIES + 101),
        )


@dataclass
class ModuleInfo:
    id: int
    title: str
    cpd_minutes: int
    lessons: list[int]
    checks: list[str]  # one knowledge-check block id per lesson
    outcomes: list[int]


@dataclass
class Context:
    scale: float
    counts: Counts
    writer: object
    progress: object
    today: datetime.date = field(default_factory=lambda: timezone.now().date())
    user_base: int = 0
    org_base: int = 0
    password_hash: str = ""
    modules: list[ModuleInfo] = field(default_factory=list)
    generated_ids: set[int] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    bench: dict = field(default_factory=dict)  # what the manifest needs

    @property
    def user_model(self):
        return get_user_model()

    def rng(self, stage: str) -> random.Random:
        return random.Random(f"{SEED}:{stage}")

    @property
    def midnight(self) -> datetime.datetime:
        return datetime.datetime.combine(self.today, datetime.time(), tzinfo=datetime.UTC)

    def ago(self, days: float) -> datetime.datetime:
        return self.midnight - datetime.timedelta(days=days)

    # --- people ----------------------------------------------------------------------------
    def user_id(self, k: int) -> int:
        return self.user_base + 1 + k

    def org_id(self, o: int) -> int:
        return self.org_base + 1 + o

    def org_of(self, k: int) -> int:
        if k < ORG0_MEMBERS:
            return 0
        return 1 + (k - ORG0_MEMBERS) % (self.counts.organisations - 1)

    def position(self, k: int) -> int:
        """Place of person ``k`` in their organisation (0 = its admin, 1 = its facilitator)."""
        return (k - ORG0_MEMBERS) // (self.counts.organisations - 1)

    def person_at(self, org: int, position: int) -> int:
        return ORG0_MEMBERS + (org - 1) + position * (self.counts.organisations - 1)

    def role_of(self, k: int) -> str:
        if k < ORG0_MEMBERS:
            if k == 1 or k in ORG0_SUPERVISORS:
                return "supervisor"
            return {2: "org_admin", 3: "facilitator"}.get(k, "practitioner")
        p = self.position(k)
        if p == 0:
            return "org_admin"
        if p == 1:
            return "facilitator"
        return "supervisor" if p % 10 == 2 else "practitioner"

    def supervisor_of(self, k: int) -> int | None:
        """The person ``k``'s supervisor (their organisation's), or None."""
        if k < ORG0_MEMBERS:
            if k in BENCH_SUPERVISEES:
                return 1
            if self.role_of(k) == "practitioner":
                return ORG0_SUPERVISORS[(k - 11) % len(ORG0_SUPERVISORS)]
            return None
        if self.role_of(k) != "practitioner":
            return None
        p = self.position(k)
        sup = self.person_at(self.org_of(k), (p // 10) * 10 + 2)
        return sup if sup < self.counts.users else None

    def admin_of(self, k: int) -> int:
        org = self.org_of(k)
        return 2 if org == 0 else self.person_at(org, 0)

    def email(self, k: int) -> str:
        local = PERSONAS[k] if k < len(PERSONAS) else f"person{k:06d}"
        return f"{local}@{BENCH_DOMAIN}"
