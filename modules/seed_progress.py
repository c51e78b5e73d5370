"""Demo progress for the demo practitioner: one module completed with a
certificate, one in progress, and confidence ratings; the same first module completed by a
practitioner in each colleague organisation (so the national reports have figures to show);
and two modules the demo organisation admin has assigned. Made through the real services."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from learning.demo import colleague_emails
from learning.models import Organisation, User
from modules.assignments import services as assignment_services
from modules.models import Assignment, Enrolment
from modules.progress import selectors, selectors_checks, services

PRACTITIONER = "practitioner@demo.holdinghope.test"
SUPERVISOR = "supervisor@demo.holdinghope.test"
ORG_ADMIN = "orgadmin@demo.holdinghope.test"
ORGANISATION = "riverside-mmhs"


def _answer_and_complete(user, module, lesson) -> None:
    blocks = {block.id: block for block in lesson.knowledge_checks}
    for check in selectors_checks.lesson_checks_shown(user, lesson).values():
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


def _complete(user, module, *, before: int, after: int) -> None:
    """Rate confidence, do every lesson and pass the end-of-module check, as a learner would."""
    outcomes = {o.pk: before for o in module.learning_outcomes.all()}
    services.enrolment_start(user=user, module=module)
    services.confidence_record(user=user, module=module, phase="before", ratings=outcomes)
    for lesson in selectors.lessons_of(module):
        _answer_and_complete(user, module, lesson)
    paper = selectors_checks.module_check_paper(user, module)
    answers = {
        q.block_id: [p for p, i in enumerate(q.order) if q.value["options"][i]["correct"]]
        for q in paper.questions
    }
    services.module_check_submit(
        user=user, module=module, round_number=paper.round, answers=answers
    )
    services.confidence_record(
        user=user, module=module, phase="after", ratings=dict.fromkeys(outcomes, after)
    )


@transaction.atomic
def seed_demo_progress(stdout=None) -> None:
    modules = list(selectors.live_modules())
    if len(modules) < 3:
        return
    _practitioner(modules, stdout)
    _colleagues(modules[0], stdout)
    _assignments(modules, stdout)


def _practitioner(modules, stdout) -> None:
    user = User.objects.filter(email=PRACTITIONER).first()
    if user is None or Enrolment.objects.filter(user=user).exists():
        return  # no demo practitioner, or already seeded
    completed, in_progress = modules[0], modules[1]
    _complete(user, completed, before=2, after=4)
    services.enrolment_start(user=user, module=in_progress)
    lessons = selectors.lessons_of(in_progress)
    _answer_and_complete(user, in_progress, lessons[0])
    if len(lessons) > 1:
        services.enrolment_note_lesson(user=user, module=in_progress, lesson=lessons[1])
    if stdout:
        stdout.write(
            f"  {PRACTITIONER}: completed “{completed.title}”, started “{in_progress.title}”\n"
        )


def _colleagues(module, stdout) -> None:
    done = set(
        Enrolment.objects.filter(module=module, completed_at__isnull=False).values_list(
            "user__email", flat=True
        )
    )
    for n, user in enumerate(User.objects.filter(email__in=colleague_emails()).order_by("email")):
        if user.email not in done:
            _complete(user, module, before=2 + n % 2, after=4 + n % 2)
    if stdout:
        stdout.write(f"  colleague organisations: completed “{module.title}”\n")


def _assignments(modules, stdout) -> None:
    """The organisation admin has assigned two modules: one the practitioner has started, one
    nobody has, due in three and six weeks. Once assigned, a second run leaves them alone."""
    admin = User.objects.filter(email=ORG_ADMIN).first()
    organisation = Organisation.objects.filter(slug=ORGANISATION).first()
    if admin is None or organisation is None:
        return
    if Assignment.objects.filter(organisation=organisation).exists():
        return
    members = list(User.objects.filter(email__in=[PRACTITIONER, SUPERVISOR]).order_by("email"))
    today = timezone.localdate()
    for module, weeks in ((modules[1], 3), (modules[2], 6)):
        assignment_services.assignment_create(
            actor=admin,
            organisation=organisation,
            module=module,
            due_on=today + timedelta(weeks=weeks),
            users=members,
        )
    if stdout:
        stdout.write(f"  {ORG_ADMIN}: assigned “{modules[1].title}” and “{modules[2].title}”\n")
