"""Demo progress for the demo practitioner (PRODUCT.md): one module completed with a
certificate, one in progress, and confidence ratings, made through the real services."""

from __future__ import annotations

from django.db import transaction

from learning.models import User
from modules.models import Enrolment
from modules.progress import selectors, services

PRACTITIONER = "practitioner@demo.holdinghope.test"


def _answer_and_complete(user, module, lesson) -> None:
    for block in lesson.knowledge_checks:
        right = [i for i, option in enumerate(block.value["options"]) if option["correct"]]
        services.check_answer(user=user, lesson=lesson, block_id=block.id, selected=right)
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
    answers = {
        block.id: [i for i, option in enumerate(block.value["options"]) if option["correct"]]
        for block in completed.final_check
    }
    services.module_check_submit(user=user, module=completed, answers=answers)
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
