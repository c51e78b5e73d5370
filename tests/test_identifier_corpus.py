"""The identifier guard against its labelled corpus (``tests/corpus/identifiers.jsonl``): every
form of identifier a review slipped past it, and ordinary reflective writing it must leave
alone. Prints recall, the false-positive rate and the time per passage."""

from __future__ import annotations

import json
import time
from pathlib import Path

from learning.guard import IdentifiersFound, guard, highlight_pieces
from learning.identifiers import find_identifiers

CORPUS = Path(__file__).parent / "corpus" / "identifiers.jsonl"
KINDS = {"nhs_number", "date", "postcode", "phone", "email", "case_number", "name"}


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]


def test_the_corpus_is_big_enough_and_covers_every_kind():
    rows = load()
    positives = [r for r in rows if r["kinds"]]
    assert len(positives) >= 300 and len(rows) - len(positives) >= 300
    assert {k for r in positives for k in r["kinds"]} == KINDS
    # The hidden and unusual separators the guard once missed are all there.
    text = "".join(r["text"] for r in positives)
    for mark in ("\u200b", "\u2009", "\u2060", "\n", "_", " dot ", "[at]", "0044", "+44"):
        assert mark in text, mark


def test_recall_and_false_positives_on_the_corpus():
    rows = load()
    started = time.perf_counter()
    found = [(row, {m.kind for m in find_identifiers(row["text"])}) for row in rows]
    elapsed = time.perf_counter() - started
    positives = [(row, kinds) for row, kinds in found if row["kinds"]]
    negatives = [(row, kinds) for row, kinds in found if not row["kinds"]]
    missed = [row["text"] for row, kinds in positives if not set(row["kinds"]) <= kinds]
    flagged = [row["text"] for row, kinds in negatives if kinds]
    recall = 1 - len(missed) / len(positives)
    false_positive_rate = len(flagged) / len(negatives)
    per_text_ms = elapsed / len(rows) * 1000
    print(
        f"\nidentifier corpus: {len(positives)} positives, {len(negatives)} negatives; "
        f"recall {recall:.1%}, false positives {false_positive_rate:.1%}, "
        f"{per_text_ms:.2f} ms a passage"
    )
    for kind in sorted(KINDS):
        with_kind = [(row, kinds) for row, kinds in positives if kind in row["kinds"]]
        hit = sum(1 for _, kinds in with_kind if kind in kinds)
        print(f"  {kind}: {hit}/{len(with_kind)}")
    assert recall >= 0.95, missed[:10]
    assert false_positive_rate <= 0.02, flagged[:10]
    assert per_text_ms < 10  # the guard runs on every save (generous: CI machines are shared)


def test_every_highlight_covers_text_as_typed():
    """Matches are found on tidied text but point into the original: a highlighted piece starts
    and ends on visible characters, whatever hidden characters and line breaks it holds."""
    for row in load():
        text = row["text"]
        for match in find_identifiers(text):
            piece = text[match.start : match.end]
            assert piece == piece.strip(" \n\r\t\u200b\u2060\ufeff"), (row, piece)
        pieces = highlight_pieces(text, find_identifiers(text))
        assert "".join(piece for piece, _ in pieces) == text


def test_the_guard_stops_each_positive_and_lets_each_negative_through():
    for row in load():
        if row["kinds"]:
            try:
                guard({"body": row["text"]}, confirmed=False)
            except IdentifiersFound as found:
                assert found.texts == {"body": row["text"]}
            else:
                raise AssertionError(row["text"])
        else:
            assert guard({"body": row["text"]}, confirmed=False).kinds == ()
