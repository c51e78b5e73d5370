"""Quality rules for every knowledge check in the shipped curriculum, module by module over all
its questions (lesson checks and the end-of-module bank), and the rules themselves
(``modules/pages/check_rules.py``, which the Wagtail editor applies too):

* every question is tagged recall or applied, and an applied question describes a situation
  (at least 15 words, not a definition question);
* at least half of a module's questions are applied;
* no stored position holds the right answer in more than 40% of the one-answer questions, and
  the right answer is the longest option in at most 40% of them;
* several-answer questions have from one to all-but-one right answers, and not all the same
  number across a module;
* every option has its own feedback saying why: none shared within a module, none a bare
  "No." or "Correct.";
* the bank has at least twice ``ask_per_outcome`` questions for every learning outcome.

Plain data tests: no database.
"""

from __future__ import annotations

from typing import Any

import pytest

from modules.curriculum import load_curriculum, module_questions, question_bank
from modules.pages.check_rules import (
    bank_problems,
    has_situation,
    module_problems,
    question_problems,
    right_is_longest,
)

CURRICULUM = load_curriculum()
each_module = pytest.mark.parametrize(
    "module", CURRICULUM, ids=[module["slug"] for module in CURRICULUM]
)


@each_module
def test_every_question_is_well_made(module: dict[str, Any]) -> None:
    problems = {
        q["question"][:60]: found
        for q in module_questions(module)
        if (found := question_problems(q))
    }
    assert not problems


@each_module
def test_the_module_questions_together_are_fair(module: dict[str, Any]) -> None:
    assert module_problems(module_questions(module)) == []


@each_module
def test_the_bank_covers_every_outcome_twice_over(module: dict[str, Any]) -> None:
    bank = question_bank(module)
    assert bank["ask_per_outcome"] >= 1
    problems = bank_problems(
        bank["questions"],
        outcomes=len(module["learning_outcomes"]),
        ask_per_outcome=bank["ask_per_outcome"],
    )
    assert not problems


# --- the rules catch what they should ------------------------------------------------------


def question(**changes) -> dict[str, Any]:
    base = {
        "question": "A mother tells you on the ward that she does not want to see the social "
        "worker today. What do you do first?",
        "kind": "single",
        "level": "applied",
        "options": [
            {"text": "Listen", "correct": True, "feedback": "Yes: listening keeps trust."},
            {"text": "Leave the ward", "correct": False, "feedback": "Leaving ends support."},
            {"text": "Call security", "correct": False, "feedback": "It escalates for no reason."},
        ],
        "explanation": "Start by listening.",
    }
    return {**base, **changes}


def test_a_good_question_passes() -> None:
    assert question_problems(question()) == []


def test_applied_questions_need_a_situation() -> None:
    assert has_situation(question()["question"])
    assert not has_situation("What is a care order?")
    long_definition = (
        "In the family courts of England and Wales, what is meant by the phrase "
        "'threshold criteria' in care proceedings?"
    )
    assert not has_situation(long_definition)
    assert question_problems(question(question="What is a care order?"))[0][0] == "question"
    assert question_problems(question(question="What is a care order?", level="recall")) == []
    assert question_problems(question(level="")) == [
        ("level", "Say whether the question tests recall or applied practice.")
    ]


@pytest.mark.parametrize("feedback", ["No.", "Correct.", "  correct ", "No", "Yes!", ""])
def test_bare_feedback_is_refused(feedback: str) -> None:
    q = question()
    q["options"][1]["feedback"] = feedback
    assert [f for f, _ in question_problems(q)] == ["options"]


def test_feedback_must_differ_between_options() -> None:
    q = question()
    q["options"][2]["feedback"] = q["options"][1]["feedback"]
    assert question_problems(q)
    assert module_problems([question(), question()])  # the same feedback in two questions


def test_several_answer_questions_need_a_wrong_option_and_allow_one_right() -> None:
    one_right = question(kind="multiple")
    assert question_problems(one_right) == []
    all_right = question(kind="multiple")
    for option in all_right["options"]:
        option["correct"] = True
    assert question_problems(all_right)[0][0] == "options"


def _distinct(q: dict[str, Any], n: int) -> dict[str, Any]:
    for option in q["options"]:
        option["feedback"] = f"{option['feedback']} ({n})"
    return q


def test_module_rules() -> None:
    # The right answer first in every question: refused (and it is the shortest, so only that).
    same_place = [_distinct(question(), n) for n in range(5)]
    assert [p.split(" is right")[0] for p in module_problems(same_place)] == ["option 1"]
    # Right answers spread out and never the longest: fine.
    spread = []
    for n in range(5):
        q = _distinct(question(), n)
        q["options"] = q["options"][n % 3 :] + q["options"][: n % 3]
        spread.append(q)
    assert module_problems(spread) == []
    # The longest in every question: refused.
    longest = [_distinct(question(), n) for n in range(5)]
    for n, q in enumerate(longest):
        q["options"][0]["text"] = "Listen carefully and calmly to what she is telling you"
        q["options"] = q["options"][n % 3 :] + q["options"][: n % 3]
    assert all(right_is_longest(q) for q in longest)
    assert any("longest" in p for p in module_problems(longest))
    # Mostly recall: refused.
    recall = [_distinct(question(level="recall"), n) for n in range(2)]
    assert any("applied" in p for p in module_problems([*recall, spread[0]]))
    # Several-answer questions all with the same number right: refused.
    multiple = [_distinct(question(kind="multiple"), n) for n in range(2)]
    assert any("several-answer" in p for p in module_problems([*spread[:3], *multiple]))
    multiple[1]["options"][1]["correct"] = True
    assert not any("several-answer" in p for p in module_problems([*spread[:3], *multiple]))


def test_bank_rules() -> None:
    bank = [{"outcome": o} for o in (1, 1, 1, 1, 2, 2, 2)]
    assert bank_problems(bank, outcomes=2, ask_per_outcome=2) == [
        "outcome 2 has 3 questions; it needs at least 4"
    ]
    assert bank_problems(bank, outcomes=2, ask_per_outcome=1) == []
    assert bank_problems([*bank, {"outcome": 3}], outcomes=2, ask_per_outcome=1) == [
        "question tagged with outcome 3, but the module has 2 outcomes"
    ]
