"""The safeguarding prompt against its labelled corpus (``tests/corpus/safeguarding.jsonl``),
with the patterns the migration loads: passages that describe a current concern should prompt,
ordinary difficult writing (training, the past, feelings, a concern already passed on) should
not. Prints recall, the false-prompt rate and the time per passage."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from learning.guard import safeguarding_matches
from reflection.journal.selectors import safeguarding_phrase_list

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus" / "safeguarding.jsonl"
UNSEEN = Path(__file__).parent / "corpus" / "safeguarding_unseen.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def figures(rows: list[dict], patterns) -> tuple[float, float, float, list[str], list[str]]:
    started = time.perf_counter()
    prompted = [(row, bool(safeguarding_matches(row["text"], patterns))) for row in rows]
    per_text_ms = (time.perf_counter() - started) / len(rows) * 1000
    missed = [row["text"] for row, hit in prompted if row["concern"] and not hit]
    false = [row["text"] for row, hit in prompted if not row["concern"] and hit]
    concerns = sum(1 for row in rows if row["concern"])
    return (
        1 - len(missed) / concerns,
        len(false) / (len(rows) - concerns),
        per_text_ms,
        missed,
        false,
    )


def test_recall_and_false_prompts_on_the_corpus():
    rows = load(CORPUS)
    concerns = sum(1 for row in rows if row["concern"])
    assert concerns >= 150 and len(rows) - concerns >= 150
    patterns = safeguarding_phrase_list()
    assert patterns, "the migration loads the starting patterns"
    recall, false_rate, per_text_ms, missed, false = figures(rows, patterns)
    print(
        f"\nsafeguarding corpus: {concerns} concerns, {len(rows) - concerns} ordinary; "
        f"recall {recall:.1%}, false prompts {false_rate:.1%}, {per_text_ms:.2f} ms a passage"
    )
    assert recall >= 0.90, missed[:10]
    assert false_rate <= 0.05, false[:10]
    assert per_text_ms < 25  # checked on every save (generous: CI machines are shared)


def test_figures_on_passages_the_patterns_were_not_written_against():
    """Passages written after the patterns and never used to change them: the figures show
    how the patterns do on new wording. Printed, not asserted; a pattern change tuned to these
    passages would make them meaningless, so add new unseen passages instead."""
    rows = load(UNSEEN)
    recall, false_rate, _, _, _ = figures(rows, safeguarding_phrase_list())
    print(
        f"\nsafeguarding, unseen passages ({len(rows)}): recall {recall:.1%}, "
        f"false prompts {false_rate:.1%}"
    )
