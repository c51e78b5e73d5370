"""Demo progress for the demo practitioner: one module completed with a
certificate, one in progress, and confidence ratings, made through the real services."""

from __future__ import annotations

from django.db import transaction

from learning.models import User
from modules.models import Enrolment
from modules.progress import selectors, services

PRACTITIONER = "practitioner@demo.holdinghope.test"


def _answer_and_complete(user, module, lesson) -> None:
    blocks = {block.id: block for block in lesson.knowledge_checks}
    for check in selectors.lesson_checks_shown(user, lesson).values():
        options = blocks[check.block_id].value["options"]
        right = [p for p, i in enumerate(check.order) if options[i]["correct"]]
        services.check_answer(
            user=user,
            lesson=lesson,
            block_id=check.block_id,
            round_number=check.round,
            positions=right,
        )
    services.lesson_complete(user=user, lesson=lesson, module=module)


@transaction.atomic
def seed_demo_progress(stdout=None) -> None:
    user = User.objects.filter(email=PRACTITIONER).first()
    modules = list(selectors.live_modules())
    if user is None or len(modules) < 3:
        return
    if Enrolment.objects.filter(user=user).exists():
        return  # already seeded
    completed, in_progress = modules[0], modules[1]
    outcomes = {o.pk: 2 for o in completed.learning_outcomes.all()}
    services.enrolment_start(user=user, module=completed)
    services.confidence_record(user=user, module=completed, phase="before", ratings=outcomes)
    for lesson in selectors.lessons_of(completed):
        _answer_and_complete(user, completed, lesson)
    paper = selectors.module_check_paper(user, completed)
    answers = {
        q.block_id: [p for p, i in enumerate(q.order) if q.value["options"][i]["correct"]]
        for q in paper.questions
    }
    services.module_check_submit(
        user=user, module=completed, round_number=paper.round, answers=answers
    )
    services.confidence_record(
        user=user, module=completed, phase="after", ratings=dict.fromkeys(outcomes, 4)
    )
    services.enrolment_start(user=user, module=in_progress)
    lessons = selectors.lessons_of(in_progress)
    _answer_and_complete(user, in_progress, lessons[0])
    if len(lessons) > 1:
        services.enrolment_note_lesson(user=user, module=in_progress, lesson=lessons[1])
    if stdout:
        stdout.write(
            f"  {PRACTITIONER}: completed “{completed.title}”, started “{in_progress.title}”\n"
        )
