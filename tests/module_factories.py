"""Builders for the Wagtail tree of modules and lessons used by tests (not the demo seed)."""

from __future__ import annotations

import itertools

from modules.models import LearningOutcome, LessonPage, ModuleIndexPage, ModulePage, Topic

from .data_builders import builds_test_data
from .factories import make_home_page

_counter = itertools.count(1)


@builds_test_data
def check_block(question: str = "Which is right?", kind: str = "single") -> dict:
    options = [
        {"text": "The right answer", "correct": True, "feedback": "Yes, because it is."},
        {"text": "A wrong answer", "correct": False, "feedback": "No, look again."},
        {"text": "Another answer", "correct": kind == "multiple", "feedback": "It depends."},
    ]
    return {
        "type": "knowledge_check",
        "value": {
            "question": question,
            "kind": kind,
            "level": "recall",
            "options": options,
            "explanation": "Because.",
        },
    }


@builds_test_data
def make_catalogue() -> ModuleIndexPage:
    catalogue = ModuleIndexPage.objects.first()
    if catalogue is None:
        home = make_home_page()
        catalogue = ModuleIndexPage(title="Modules", slug="modules", intro="<p>All modules.</p>")
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    return catalogue


@builds_test_data
def make_module(
    *,
    lessons: int = 3,
    title: str | None = None,
    final_check: bool = True,
    content_note: str = "",
    lesson_note: str = "",
    minutes: int = 45,
    topic: Topic | None = None,
    outcomes: int = 2,
) -> ModulePage:
    n = next(_counter)
    catalogue = make_catalogue()
    module = ModulePage(
        title=title or f"Module {n}",
        slug=f"module-{n}",
        summary=f"What module {n} is about.",
        estimated_minutes=minutes,
        cpd_minutes=minutes,
        content_note=content_note,
        pass_mark=50,
        final_check=[check_block("Final question one?"), check_block("Final question two?")]
        if final_check
        else [],
    )
    for i in range(outcomes):
        module.learning_outcomes.add(
            LearningOutcome(text=f"Outcome {i + 1} of module {n}", sort_order=i)
        )
    catalogue.add_child(instance=module)
    if topic is not None:
        module.topics.add(topic)
    module.save_revision().publish()
    for i in range(lessons):
        lesson = LessonPage(
            title=f"Lesson {i + 1} of module {n}",
            slug=f"lesson-{i + 1}",
            summary="A lesson.",
            content_note=lesson_note if i == 0 else "",
            body=[
                {"type": "rich_text", "value": f"<p>Teaching text about topic {n}.{i}.</p>"},
                {
                    "type": "key_points",
                    "value": {"heading": "Key points", "points": ["One", "Two"]},
                },
                check_block(f"Lesson {i + 1} question?"),
                {"type": "reflection_prompt", "value": {"prompt": "What did you notice?"}},
            ],
        )
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk)


def shown_positions(order: list[int], value, *, right: bool = True) -> list[int]:
    """The positions a learner ticks in the shown ``order``: every right option, or else the
    first wrong one."""
    options = value["options"]
    if right:
        return [p for p, i in enumerate(order) if options[i]["correct"]]
    return [p for p, i in enumerate(order) if not options[i]["correct"]][:1]


def answer_lesson_check(user, lesson, block_id: str | None = None, *, right: bool = True):
    """Answer a lesson's knowledge check as shown to ``user``, through the real service."""
    from modules.progress import selectors_checks, services

    block_id = block_id or lesson.knowledge_checks[0].id
    check = selectors_checks.lesson_checks_shown(user, lesson)[block_id]
    value = next(b for b in lesson.knowledge_checks if b.id == block_id).value
    return services.check_answer(
        user=user,
        lesson=lesson,
        block_id=block_id,
        round_number=check.round,
        positions=shown_positions(check.order, value, right=right),
    )


def module_check_answers(paper, *, right: bool = True) -> dict[str, list[int]]:
    return {q.block_id: shown_positions(q.order, q.value, right=right) for q in paper.questions}


def answer_module_check(user, module, *, right: bool = True):
    """Take the module's end-of-module check as shown to ``user``, through the real service."""
    from modules.progress import selectors_checks, services

    paper = selectors_checks.module_check_paper(user, module)
    return services.module_check_submit(
        user=user,
        module=module,
        round_number=paper.round,
        answers=module_check_answers(paper, right=right),
    )


def bank_block(question: str, outcome: int, kind: str = "single") -> dict:
    """A question for an end-of-module bank, tagged with its learning outcome."""
    block = check_block(question, kind)
    block["value"]["outcome"] = outcome
    return block


def make_banked_module(*, outcomes: int = 2, per_outcome: int = 2, ask: int = 1, **kwargs):
    """A module whose end-of-module bank has ``per_outcome`` questions for each outcome, of which
    each attempt asks ``ask``."""
    module = make_module(outcomes=outcomes, **kwargs)
    module.final_check = [
        bank_block(f"Outcome {o} question {n}?", o)
        for o in range(1, outcomes + 1)
        for n in range(1, per_outcome + 1)
    ]
    module.ask_per_outcome = ask
    module.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk)


@builds_test_data
def complete_module(user, module, *, before: int | None = None, after: int | None = None):
    """Take ``user`` through every lesson and the end-of-module check, through the real
    services; ``before`` and ``after`` rate every outcome's confidence at that level."""
    from modules.progress import selectors, services

    outcomes = [o.pk for o in module.learning_outcomes.all()]
    services.enrolment_start(user=user, module=module)
    if before is not None:
        services.confidence_record(
            user=user, module=module, phase="before", ratings=dict.fromkeys(outcomes, before)
        )
    for lesson in selectors.lessons_of(module):
        answer_lesson_check(user, lesson)
        services.lesson_complete(user=user, lesson=lesson, module=module)
    if module.final_check.raw_data:
        answer_module_check(user, module)
    if after is not None:
        services.confidence_record(
            user=user, module=module, phase="after", ratings=dict.fromkeys(outcomes, after)
        )
    return module
