"""Reads for knowledge checks: a lesson's checks as the learner sees them (options in the
order of their next attempt, feedback on their latest), the module check's paper for a round,
and the review of a submitted attempt. Orders and draws come from ``drawing``, so a paper can be
rebuilt from the person, the module and the round alone."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser

from learning.models import User
from learning.prepared import PreparedQuery
from modules.models import CheckAttempt, LessonPage, ModuleCheckAttempt, ModulePage
from modules.progress import drawing


def latest_attempts(user: User | AnonymousUser, lesson: LessonPage) -> dict[str, CheckAttempt]:
    """The person's latest answer to each knowledge check in ``lesson``."""
    if not user.is_authenticated:
        return {}
    latest: dict[str, CheckAttempt] = {}
    for attempt in CheckAttempt.objects.filter(user=user, lesson=lesson).order_by(
        "answered_at", "pk"
    ):
        latest[attempt.block_id] = attempt
    return latest


@dataclass
class ShownOption:
    position: int  # where it is shown; the form posts this, never the stored index
    text: str
    chosen: bool = False
    right: bool = False
    feedback: str = ""


@dataclass
class ShownCheck:
    """A lesson's knowledge check as the learner sees it: the options for their next attempt in
    that attempt's order, and the feedback on their latest attempt (chosen options only)."""

    block_id: str
    question: str
    multiple: bool
    round: int
    options: list[ShownOption]
    order: list[int] = field(default_factory=list)  # stored indexes, as shown; not rendered
    answered: bool = False
    correct: bool = False
    feedback: list[ShownOption] = field(default_factory=list)
    explanation: str = ""


def shown_options(
    value: Mapping[str, Any], order: list[int], chosen: Collection[int] = ()
) -> list[ShownOption]:
    options = list(value["options"])
    return [
        ShownOption(
            position=position,
            text=options[index]["text"],
            chosen=index in chosen,
            right=bool(options[index]["correct"]),
            feedback=options[index]["feedback"],
        )
        for position, index in enumerate(order)
        if index < len(options)
    ]


def shown_check(
    user: User | AnonymousUser, block: Any, latest: CheckAttempt | None, attempts: int
) -> ShownCheck:
    value = block.value
    user_id = user.pk if user.is_authenticated else None
    seed = drawing.lesson_check_seed(user_id=user_id, block_id=block.id, round_=attempts)
    order = drawing.option_order(seed=seed, count=len(value["options"]))
    check = ShownCheck(
        block_id=block.id,
        question=value["question"],
        multiple=value["kind"] == "multiple",
        round=attempts,
        options=[
            ShownOption(position=o.position, text=o.text) for o in shown_options(value, order)
        ],
        order=order,
    )
    if latest is not None:
        shown = latest.order or list(range(len(value["options"])))
        chosen = set(latest.selected)
        check.answered = True
        check.correct = latest.correct
        check.feedback = [o for o in shown_options(value, shown, chosen) if o.chosen]
        check.explanation = value["explanation"] if latest.correct else ""
    return check


# Every lesson view reads the person's answers to its checks: built once per process.
_ATTEMPTS = PreparedQuery(
    "progress.check_attempts",
    lambda slots: CheckAttempt.objects.filter(
        user_id=slots.user_id, lesson_id=slots.lesson_id
    ).order_by("answered_at", "pk"),
    slots={"user_id": int, "lesson_id": int},
)


def lesson_checks_shown(
    user: User | AnonymousUser, lesson: LessonPage, *, text: LessonPage | None = None
) -> dict[str, ShownCheck]:
    """Every knowledge check in ``lesson`` as ``user`` sees it, from one query. ``text`` is the
    version whose words are shown (a Welsh translation): its checks keep the English checks'
    block ids and options in the same order, so the answers are the English lesson's."""
    latest: dict[str, CheckAttempt] = {}
    counts: dict[str, int] = {}
    if user.is_authenticated:
        for attempt in _ATTEMPTS.all(user_id=user.pk, lesson_id=lesson.pk):
            latest[attempt.block_id] = attempt
            counts[attempt.block_id] = counts.get(attempt.block_id, 0) + 1
    return {
        block.id: shown_check(user, block, latest.get(block.id), counts.get(block.id, 0))
        for block in (text or lesson).knowledge_checks
    }


@dataclass
class PaperQuestion:
    block_id: str
    number: int
    question: str
    multiple: bool
    order: list[int]
    options: list[ShownOption]
    value: object = None
    chosen: list[int] = field(default_factory=list)  # positions, after a failed submission
    error: str = ""


@dataclass
class Paper:
    """One attempt's questions, drawn from the module's bank for ``round``, with the options
    in the order that attempt shows them."""

    round: int
    questions: list[PaperQuestion]


def module_check_paper_for(user_id: int, module: ModulePage, round_: int) -> Paper:
    blocks = {b.id: b for b in module.final_check if b.block_type == "knowledge_check"}
    seed = drawing.module_check_seed(user_id=user_id, module_id=module.pk, round_=round_)
    drawn = drawing.bank_draw(
        seed=seed,
        bank=[(block_id, b.value["outcome"]) for block_id, b in blocks.items()],
        ask_per_outcome=module.ask_per_outcome,
    )
    questions = []
    for number, block_id in enumerate(drawn, start=1):
        value = blocks[block_id].value
        order = drawing.option_order(seed=(*seed, block_id), count=len(value["options"]))
        questions.append(
            PaperQuestion(
                block_id=block_id,
                number=number,
                question=value["question"],
                multiple=value["kind"] == "multiple",
                order=order,
                options=[
                    ShownOption(position=o.position, text=o.text)
                    for o in shown_options(value, order)
                ],
                value=value,
            )
        )
    return Paper(round=round_, questions=questions)


def module_check_round(user: User, module: ModulePage) -> int:
    """The person's next round at the module's check: how many attempts they have made."""
    return ModuleCheckAttempt.objects.filter(user=user, module=module).count()


def module_check_paper(user: User, module: ModulePage) -> Paper:
    """The questions ``user`` is asked next time they take the module's check."""
    return module_check_paper_for(user.pk, module, module_check_round(user, module))


@dataclass
class ReviewQuestion:
    number: int
    question: str
    multiple: bool
    correct: bool
    options: list[ShownOption]
    explanation: str


def module_check_review(
    user: User | AnonymousUser, module: ModulePage, attempt_id: int
) -> dict | None:
    """A submitted attempt of ``user``'s at ``module``'s check, question by question, in the
    order it was shown; ``None`` if it is not theirs (so the view gives the same 404)."""
    if not user.is_authenticated:
        return None
    attempt = ModuleCheckAttempt.objects.filter(pk=attempt_id, user=user, module=module).first()
    if attempt is None:
        return None
    blocks = {b.id: b for b in module.final_check if b.block_type == "knowledge_check"}
    questions: list[ReviewQuestion] = []
    for asked in attempt.questions:
        block = blocks.get(asked["id"])
        if block is None:
            continue  # removed from the bank since; its mark still counts in the score
        value = block.value
        chosen = set(attempt.answers.get(asked["id"], []))
        options = shown_options(value, asked["order"], chosen)
        questions.append(
            ReviewQuestion(
                number=len(questions) + 1,
                question=value["question"],
                multiple=value["kind"] == "multiple",
                correct=chosen == {i for i, o in enumerate(value["options"]) if o["correct"]},
                options=options,
                explanation=value["explanation"],
            )
        )
    return {"attempt": attempt, "questions": questions}
