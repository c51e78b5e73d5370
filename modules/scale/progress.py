"""Progress rows: enrolments, lesson completions, check attempts, end-of-module checks,
confidence ratings, certificates and assignments. The bench practitioner's are fixed; everyone
else shares what is left of the scale's total, streamed in chunks of people."""

from __future__ import annotations

import datetime

from learning.scale.copy import max_id
from learning.scale.plan import BENCH_COMPLETED, BENCH_ENROLMENTS, Context, ModuleInfo
from modules.models import (
    Assignment,
    Certificate,
    CheckAttempt,
    ConfidenceRating,
    Enrolment,
    LessonCompletion,
    ModuleCheckAttempt,
)

COLUMNS = {
    Enrolment: [
        "id",
        "user_id",
        "module_id",
        "started_at",
        "completed_at",
        "last_lesson_id",
        "content_note_seen_at",
        "updated_at",
    ],
    LessonCompletion: ["id", "user_id", "lesson_id", "module_id", "completed_at"],
    CheckAttempt: ["id", "user_id", "lesson_id", "block_id", "selected", "correct", "answered_at"],
    ModuleCheckAttempt: [
        "id",
        "user_id",
        "module_id",
        "answers",
        "score",
        "passed",
        "submitted_at",
    ],
    ConfidenceRating: [
        "id",
        "user_id",
        "module_id",
        "outcome_id",
        "phase",
        "rating",
        "recorded_at",
    ],
    Certificate: [
        "id",
        "user_id",
        "module_id",
        "code",
        "holder_name",
        "module_title",
        "cpd_minutes",
        "completed_on",
        "issued_at",
        "status",
        "pdf",
    ],
    Assignment: [
        "id",
        "organisation_id",
        "user_id",
        "module_id",
        "due_on",
        "assigned_by_id",
        "created_at",
        "notice_sent_at",
        "reminder_sent_at",
        "overdue_sent_at",
        "cancelled_at",
    ],
}
FLUSH_AT = 200_000
NOT_CHOSEN = "[1]"
CHOSEN = "[0]"


class Rows:
    """Rows per table, with ids, written whenever enough have built up."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.ids = {model: max_id(model) for model in COLUMNS}
        self.rows: dict = {model: [] for model in COLUMNS}
        self.pending = 0
        self.total = 0

    def add(self, model, *values) -> int:
        self.ids[model] += 1
        self.rows[model].append((self.ids[model], *values))
        self.pending += 1
        self.total += 1
        return self.ids[model]

    def flush(self, force: bool = False) -> None:
        if not force and self.pending < FLUSH_AT:
            return
        for model, rows in self.rows.items():
            if rows:
                self.ctx.writer.write(model, COLUMNS[model], rows)
        self.ctx.progress.advance(self.pending)
        self.rows = {model: [] for model in COLUMNS}
        self.pending = 0


class Learner:
    """One person's progress, stopping at ``budget`` rows (None: no limit)."""

    def __init__(self, ctx: Context, rows: Rows, k: int, budget: int | None, rng):
        self.ctx, self.rows, self.k, self.budget, self.rng = ctx, rows, k, budget, rng
        self.uid = ctx.user_id(k)

    def room(self) -> bool:
        return self.budget is None or self.budget > 0

    def add(self, model, *values) -> bool:
        if not self.room():
            return False
        self.rows.add(model, *values)
        if self.budget is not None:
            self.budget -= 1
        return True

    def enrol(self, module: ModuleInfo, *, done: int, days_ago: int, assign: bool) -> None:
        ctx, rng, uid = self.ctx, self.rng, self.uid
        started = ctx.ago(days_ago)
        complete = done == len(module.lessons)
        finished = started + datetime.timedelta(days=min(days_ago, 7) * 0.5) if complete else None
        last = module.lessons[done - 1] if done else None
        self.add(Enrolment, uid, module.id, started, finished, last, None, finished or started)
        for outcome in module.outcomes:
            self.add(
                ConfidenceRating, uid, module.id, outcome, "before", rng.randint(1, 4), started
            )
        for n in range(done):
            when = started + datetime.timedelta(hours=n + 1)
            lesson, check = module.lessons[n], module.checks[n]
            if rng.random() < 0.3:
                self.add(CheckAttempt, uid, lesson, check, NOT_CHOSEN, False, when)
            self.add(CheckAttempt, uid, lesson, check, CHOSEN, True, when)
            self.add(LessonCompletion, uid, lesson, module.id, when)
        if complete:
            score = rng.choice((70, 80, 90, 100))
            self.add(ModuleCheckAttempt, uid, module.id, "{}", score, True, finished)
            for outcome in module.outcomes:
                self.add(
                    ConfidenceRating, uid, module.id, outcome, "after", rng.randint(3, 5), finished
                )
            if rng.random() < 0.5 and self.room():
                code = f"HHB{self.rows.ids[Certificate] + 1:012d}"
                self.add(
                    Certificate,
                    uid,
                    module.id,
                    code,
                    ctx.names[self.k],
                    module.title,
                    module.cpd_minutes,
                    finished.date(),
                    finished,
                    "ready",
                    "",
                )
        if assign:
            due = ctx.today + datetime.timedelta(days=rng.randint(-30, 60))
            self.add(
                Assignment,
                ctx.org_id(ctx.org_of(self.k)),
                uid,
                module.id,
                due,
                ctx.user_id(ctx.admin_of(self.k)),
                started,
                started,
                None,
                None,
                None,
            )


def seed_progress(ctx: Context) -> None:
    modules = ctx.modules
    total = ctx.counts.progress_rows
    rows = Rows(ctx)
    ctx.progress.begin("progress rows", total)
    rng = ctx.rng("progress")

    # The bench practitioner: 25 generated modules, 10 finished, the rest part-way.
    generated = [m for m in modules if m.id in ctx.generated_ids][:BENCH_ENROLMENTS]
    persona = Learner(ctx, rows, 0, None, rng)
    for n, module in enumerate(generated):
        done = len(module.lessons) if n < BENCH_COMPLETED else n % len(module.lessons)
        persona.enrol(module, done=done, days_ago=120 - 4 * n, assign=n in (0, 11))
    ctx.bench["lesson_module"] = generated[BENCH_COMPLETED].id

    # Everyone else except the other three personas shares the rest.
    learners = range(4, ctx.counts.users)
    left = max(total - rows.total, 0)
    each, extra = divmod(left, len(learners))
    for i, k in enumerate(learners):
        learner = Learner(ctx, rows, k, each + (1 if i < extra else 0), rng)
        picks = rng.sample(range(len(modules)), min(len(modules), 40))
        for m in picks:
            if not learner.room():
                break
            module = modules[m]
            done = rng.choice((0, 1, 2, len(module.lessons), len(module.lessons), 3))
            done = min(done, len(module.lessons))
            learner.enrol(
                module, done=done, days_ago=rng.randint(1, 360), assign=rng.random() < 0.08
            )
        rows.flush()
    rows.flush(force=True)
    ctx.progress.end()
