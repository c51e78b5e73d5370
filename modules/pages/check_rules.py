"""Quality rules for knowledge-check questions, on plain dicts (the curriculum JSON and the
StreamField block values have the same shape), so the editor's validation and the test over the
shipped curriculum apply the same rules.

A question is ``{"question", "kind", "level", "options": [{"text", "correct", "feedback"}],
"explanation"}``; a question in an end-of-module bank also has ``"outcome"`` (1-based).

The applied-question heuristic: an applied question describes a situation, so its stem has at
least ``APPLIED_MIN_WORDS`` words and does not ask for a definition (no "what is meant by",
"definition", "defined as", "stands for", "is called", "is known as", "term for", "define").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

LEVELS = ("recall", "applied")
KINDS = ("single", "multiple")
APPLIED_MIN_WORDS = 15
MAX_SHARE = 0.4  # of single-answer questions: right answer in one position, or the longest
DEFINITION = re.compile(
    r"\b(what is meant by|definitions?|defined as|stands? for|is called|are called|"
    r"is known as|are known as|term for|define)\b",
    re.IGNORECASE,
)
BARE_FEEDBACK = re.compile(
    r"^\W*(no|yes|correct|incorrect|right|wrong|not quite|that's right|well done)\W*$",
    re.IGNORECASE,
)


def _norm(text: str) -> str:
    return " ".join(str(text).split()).lower()


def has_situation(stem: str) -> bool:
    """Whether a stem reads as an applied question: a situation, not a bare definition."""
    return len(str(stem).split()) >= APPLIED_MIN_WORDS and not DEFINITION.search(str(stem))


def right_count(question: Mapping[str, Any]) -> int:
    return sum(1 for option in question["options"] if option.get("correct"))


def question_problems(question: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Problems with one question, as (field, message) pairs: the field is the block field the
    editor is shown the message against."""
    problems: list[tuple[str, str]] = []
    options = list(question.get("options") or [])
    level = question.get("level")
    if level not in LEVELS:
        problems.append(("level", "Say whether the question tests recall or applied practice."))
    elif level == "applied" and not has_situation(question.get("question", "")):
        problems.append(
            (
                "question",
                f"An applied question describes a situation in at least {APPLIED_MIN_WORDS} "
                "words and does not ask for a definition.",
            )
        )
    right = right_count(question)
    if question.get("kind") == "single" and right != 1:
        problems.append(("options", "A one-answer question needs exactly one right answer."))
    elif question.get("kind") == "multiple" and not 1 <= right <= len(options) - 1:
        problems.append(
            (
                "options",
                "A several-answer question needs at least one right answer and at least one "
                "wrong answer.",
            )
        )
    elif question.get("kind") not in KINDS:
        problems.append(("kind", "Choose one answer or several answers."))
    feedback = [_norm(option.get("feedback", "")) for option in options]
    if any(not text or BARE_FEEDBACK.match(text) for text in feedback):
        problems.append(
            ("options", "Give every answer its own feedback that says why it is right or wrong.")
        )
    elif len(set(feedback)) != len(feedback):
        problems.append(("options", "Two answers have the same feedback: say why for each one."))
    if not str(question.get("explanation") or "").strip():
        problems.append(("explanation", "Explain the right answer."))
    return problems


def module_problems(questions: Iterable[Mapping[str, Any]]) -> list[str]:
    """Problems across all of a module's questions (its lesson checks and its bank)."""
    questions = list(questions)
    problems = []
    if not questions:
        return problems
    applied = sum(1 for q in questions if q.get("level") == "applied")
    if applied * 2 < len(questions):
        problems.append(f"{applied} of {len(questions)} questions are applied; at least half")
    single = [q for q in questions if q.get("kind") == "single"]
    if single:
        positions = Counter(
            i for q in single for i, option in enumerate(q["options"]) if option.get("correct")
        )
        position, most = positions.most_common(1)[0]
        if most > MAX_SHARE * len(single):
            problems.append(
                f"option {position + 1} is right in {most} of {len(single)} one-answer questions"
            )
        longest = sum(1 for q in single if right_is_longest(q))
        if longest > MAX_SHARE * len(single):
            problems.append(
                f"the right answer is the longest in {longest} of {len(single)} one-answer "
                "questions"
            )
    multiple = [q for q in questions if q.get("kind") == "multiple"]
    counts = {right_count(q) for q in multiple}
    if len(multiple) >= 2 and len(counts) < 2:
        problems.append(
            f"all {len(multiple)} several-answer questions have {counts.pop()} right answers"
        )
    feedback = Counter(
        _norm(option.get("feedback", "")) for q in questions for option in q["options"]
    )
    shared = sorted(text for text, n in feedback.items() if n > 1)
    if shared:
        problems.append(f"feedback used for more than one answer: {shared[:3]}")
    return problems


def right_is_longest(question: Mapping[str, Any]) -> bool:
    """Whether a right option is at least as long as every other option (ties count)."""
    lengths = [len(str(option["text"])) for option in question["options"]]
    return any(
        option.get("correct") and lengths[i] == max(lengths)
        for i, option in enumerate(question["options"])
    )


def bank_problems(
    questions: Iterable[Mapping[str, Any]], *, outcomes: int, ask_per_outcome: int
) -> list[str]:
    """An end-of-module bank has at least twice ``ask_per_outcome`` questions for every
    learning outcome, and no question tagged with an outcome the module does not have."""
    per_outcome = Counter(q.get("outcome") for q in questions)
    strays = [n for n in per_outcome if not (isinstance(n, int) and 1 <= n <= outcomes)]
    problems = [
        f"question tagged with outcome {number}, but the module has {outcomes} outcomes"
        for number in sorted(strays, key=str)
    ]
    need = 2 * ask_per_outcome
    problems += [
        f"outcome {number} has {per_outcome.get(number, 0)} questions; it needs at least {need}"
        for number in range(1, outcomes + 1)
        if per_outcome.get(number, 0) < need
    ]
    return problems
