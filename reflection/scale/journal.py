"""Journal entries and sign-off requests. The text is a small fixed pool (the demo journal's
reflections), encrypted once through the model fields' own encryption; every row reuses those
ciphertexts."""

from __future__ import annotations

import json

from learning.scale.copy import max_id
from learning.scale.plan import BENCH_JOURNAL, BENCH_SHARED, BENCH_SUPERVISEES, Context
from reflection.models import JournalEntry, SignOffRequest, summary_hash
from reflection.seed import DEMO_REFLECTIONS

ENTRY_COLUMNS = [
    "id",
    "author_id",
    "title",
    "experienced_on",
    "tags",
    "model",
    "body_json",
    "summary",
    "lesson_id",
    "prompt",
    "identifier_check_confirmed_at",
    "is_draft",
    "created_at",
    "updated_at",
]
SIGNOFF_COLUMNS = [
    "id",
    "entry_id",
    "author_id",
    "supervisor_id",
    "version",
    "summary",
    "content_hash",
    "note",
    "status",
    "comment",
    "decided_at",
    "signer_role",
    "reopen_reason",
    "reopened_at",
    "supervisor_notified_at",
    "author_notified_at",
    "created_at",
]
# The supervisor persona's queue: the practitioner's two and one each from these four.
QUEUE_AUTHORS = BENCH_SUPERVISEES[1:5]
SIGNOFF_SHARE = 0.05
CHUNK = 100_000


def _pool() -> list[dict]:
    field = JournalEntry._meta.get_field
    pool = []
    for r in DEMO_REFLECTIONS:
        pool.append(
            {
                "model": r.model,
                "title": field("title").get_prep_value(r.title),
                "tags": field("tags").get_prep_value(r.tags),
                "body": field("body_json").get_prep_value(json.dumps(r.sections)),
                "summary": field("summary").get_prep_value(r.summary),
                "hash": summary_hash(r.summary),
            }
        )
    return pool


def seed_journal(ctx: Context) -> None:
    total = ctx.counts.journal_entries
    ctx.progress.begin("journal entries and sign-off requests", total)
    rng = ctx.rng("journal")
    pool = _pool()
    entry_id, signoff_id = max_id(JournalEntry), max_id(SignOffRequest)
    entries, signoffs = [], []

    def entry(k: int, days_ago: int) -> tuple[int, dict]:
        nonlocal entry_id
        entry_id += 1
        text = pool[entry_id % len(pool)]
        when = ctx.ago(days_ago)
        entries.append(
            (
                entry_id,
                ctx.user_id(k),
                text["title"],
                when.date(),
                text["tags"],
                text["model"],
                text["body"],
                text["summary"],
                None,
                "",
                None,
                False,
                when,
                when,
            )
        )
        return entry_id, text

    def share(eid: int, text: dict, k: int, supervisor: int, days_ago: int, pending: bool):
        nonlocal signoff_id
        signoff_id += 1
        when = ctx.ago(days_ago)
        signoffs.append(
            (
                signoff_id,
                eid,
                ctx.user_id(k),
                ctx.user_id(supervisor),
                1,
                text["summary"],
                text["hash"],
                "",
                "pending" if pending else "signed_off",
                "",
                None if pending else when,
                "" if pending else "Clinical supervisor",
                "",
                None,
                when,
                None if pending else when,
                when,
            )
        )

    # The bench practitioner: 12 entries, the newest two shared with the supervisor persona.
    for n in range(BENCH_JOURNAL):
        eid, text = entry(0, 3 + 7 * (BENCH_JOURNAL - n))
        if n >= BENCH_JOURNAL - BENCH_SHARED:
            share(eid, text, 0, 1, 2, pending=True)
            ctx.bench.setdefault("shared_entries", []).append(eid)
    ctx.bench["journal_entry"] = entries[0][0]
    for k in QUEUE_AUTHORS:
        eid, text = entry(k, 10)
        share(eid, text, k, 1, 3, pending=True)

    authors = ctx.counts.users - 4
    for n in range(max(total - len(entries), 0)):
        k = 4 + n % authors
        eid, text = entry(k, rng.randint(1, 720))
        supervisor = ctx.supervisor_of(k)
        if supervisor is not None and rng.random() < SIGNOFF_SHARE:
            # Only the six fixed requests wait in the supervisor persona's queue.
            pending = rng.random() < 0.3 and supervisor != 1
            share(eid, text, k, supervisor, rng.randint(1, 300), pending=pending)
        if len(entries) >= CHUNK:
            _flush(ctx, entries, signoffs)
    _flush(ctx, entries, signoffs)
    ctx.progress.end()


def _flush(ctx: Context, entries: list, signoffs: list) -> None:
    ctx.writer.write(JournalEntry, ENTRY_COLUMNS, entries)
    ctx.writer.write(SignOffRequest, SIGNOFF_COLUMNS, signoffs)
    ctx.progress.advance(len(entries))
    entries.clear()
    signoffs.clear()
