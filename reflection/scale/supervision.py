"""Supervisory relationships (every practitioner with a supervisor in their organisation) and
supervision sessions, confirmed and locked. Summaries reuse a few ciphertexts."""

from __future__ import annotations

import datetime

from learning.scale.copy import max_id
from learning.scale.plan import BENCH_SESSIONS, BENCH_SUPERVISEES, Context
from reflection.models import SupervisionRelationship, SupervisionSession

REL_COLUMNS = [
    "id",
    "supervisee_id",
    "supervisor_id",
    "proposed_by_id",
    "kind",
    "status",
    "frequency_min_weeks",
    "frequency_max_weeks",
    "started_on",
    "ended_on",
    "confidentiality",
    "recording",
    "escalation",
    "supervisee_agreed_at",
    "supervisor_agreed_at",
    "decided_at",
    "created_at",
]
SESSION_COLUMNS = [
    "id",
    "relationship_id",
    "author_id",
    "held_on",
    "duration_minutes",
    "format",
    "attendance_only",
    "external_attendees",
    "normative",
    "formative",
    "restorative",
    "summary",
    "next_on",
    "status",
    "revision",
    "change_comment",
    "locked_at",
    "created_at",
    "updated_at",
]
SUMMARIES = (
    "We talked through a hard week and agreed what to bring to the next planning meeting.",
    "Time to reflect on a separation on the ward, and on what support helps afterwards.",
    "We looked at caseload and at the learning from a recent module.",
)
OTHER_BENCH_SESSIONS = 6
CHUNK = 100_000


def seed_supervision(ctx: Context) -> None:
    total = ctx.counts.sessions
    ctx.progress.begin("supervision sessions", total)
    rng = ctx.rng("supervision")
    field = SupervisionSession._meta.get_field("summary")
    summaries = [field.get_prep_value(text) for text in SUMMARIES]
    rel_id, session_id = max_id(SupervisionRelationship), max_id(SupervisionSession)
    start = ctx.ago(300)
    pairs = [(k, s) for k in range(ctx.counts.users) if (s := ctx.supervisor_of(k)) is not None]
    rels = []
    for k, s in pairs:
        rel_id += 1
        rels.append(
            (
                rel_id,
                ctx.user_id(k),
                ctx.user_id(s),
                ctx.user_id(s),
                "clinical",
                "active",
                4,
                8,
                start.date(),
                None,
                "What we talk about stays between us, unless someone is at risk of harm.",
                "Dates, length and agreed actions; the summary is seen by us both.",
                "A concern about safety goes to the safeguarding lead the same day.",
                start,
                start,
                start,
                start,
            )
        )
    ctx.writer.write(SupervisionRelationship, REL_COLUMNS, rels)
    first_rel = rel_id - len(rels) + 1

    # Fixed: the practitioner's ten, six for each of the supervisor persona's other people.
    plan = []
    for k, _s in pairs:
        if k == 0:
            plan.append(BENCH_SESSIONS)
        elif k in BENCH_SUPERVISEES:
            plan.append(OTHER_BENCH_SESSIONS)
        else:
            plan.append(None)
    fixed = sum(p for p in plan if p is not None)
    others = [i for i, p in enumerate(plan) if p is None]
    each, extra = divmod(max(total - fixed, 0), max(len(others), 1))
    for n, i in enumerate(others):
        plan[i] = each + (1 if n < extra else 0)

    sessions = []
    for i, ((k, s), count) in enumerate(zip(pairs, plan, strict=True)):
        for n in range(count):
            session_id += 1
            held = ctx.today - datetime.timedelta(days=7 + 28 * n + rng.randint(0, 6))
            locked = datetime.datetime.combine(held, datetime.time(17), tzinfo=datetime.UTC)
            sessions.append(
                (
                    session_id,
                    first_rel + i,
                    ctx.user_id(k if n % 2 else s),
                    held,
                    rng.choice((45, 60, 60, 90)),
                    "one_to_one",
                    False,
                    0,
                    True,
                    n % 2 == 0,
                    True,
                    summaries[session_id % len(summaries)],
                    None,
                    "locked",
                    1,
                    "",
                    locked,
                    locked,
                    locked,
                )
            )
            if len(sessions) >= CHUNK:
                _flush(ctx, sessions)
    _flush(ctx, sessions)
    ctx.progress.end()


def _flush(ctx: Context, sessions: list) -> None:
    ctx.writer.write(SupervisionSession, SESSION_COLUMNS, sessions)
    ctx.progress.advance(len(sessions))
    sessions.clear()
