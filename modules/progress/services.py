"""Writes for learning progress: enrol, answer a knowledge check, complete a lesson, take the
end-of-module check, rate confidence. Keyword-only, typed, ``<thing>_<verb>``; each checks that
the person may act, changes state and, where it matters, writes the audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.models import User
from learning.notify import action_key, notify_resolve
from learning.permissions import Person
from learning.services import audit_record
from modules.h5p.selectors import h5p_outstanding
from modules.models import (
    CheckAttempt,
    ConfidenceRating,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModuleCheckAttempt,
    ModulePage,
)
from modules.progress import drawing, selectors, selectors_checks
from modules.progress.learning_events import (
    learning_event_check_answered,
    learning_event_lesson_completed,
    learning_event_module_check,
    learning_event_module_completed,
    learning_event_module_started,
)
from modules.scorm.selectors import scorm_outstanding


def _require_learner(user: Person) -> None:
    if not permissions.is_signed_in(user):
        raise PermissionDenied


class PrerequisitesOutstanding(ValidationError):
    """The module's prerequisites are required first and the person has not completed them
    all. ``outstanding`` holds the modules still to complete."""

    def __init__(self, outstanding: list[ModulePage]) -> None:
        self.outstanding = outstanding
        super().__init__(
            _("Complete %(modules)s before you start this module.")
            % {"modules": ", ".join(f"“{m.title}”" for m in outstanding)}
        )


def start_check(*, user: User, module: ModulePage, started: bool | None = None) -> None:
    """Raise ``PrerequisitesOutstanding`` if the rulebook says ``user`` may not start
    ``module`` yet because of its required prerequisites; anyone already enrolled
    (``started``, read here when not given) carries on. No query for a module whose
    prerequisites are only recommended."""
    if not permissions.prerequisites_decide(module):
        return
    prerequisites = selectors.prerequisites_for(user, module)
    if permissions.can_start_module(user, module, prerequisites):
        return
    if started is None:
        started = Enrolment.objects.filter(user=user, module=module).exists()
    if not permissions.can_start_module(user, module, prerequisites, started=started):
        raise PrerequisitesOutstanding([p.module for p in prerequisites if not p.is_completed])


@transaction.atomic
def enrolment_start(*, user: User, module: ModulePage) -> Enrolment:
    """Enrol ``user`` on ``module`` (idempotent). Refused with ``PrerequisitesOutstanding``
    while a prerequisite that is required first is not complete."""
    _require_learner(user)
    if not module.live:
        raise PermissionDenied
    start_check(user=user, module=module)
    enrolment, created = Enrolment.objects.get_or_create(user=user, module=module)
    if created:
        learning_event_module_started(user=user, module=module)
    return enrolment


def enrolment_note_lesson(
    *, user: Person, module: ModulePage, lesson: LessonPage
) -> Enrolment | None:
    """Remember where the person is, so that they can resume; enrols them on first visit."""
    if not permissions.is_signed_in(user):
        return None
    enrolment = selectors.enrolment_for(user, module)
    if enrolment is None:
        try:
            start_check(user=user, module=module, started=False)
        except PrerequisitesOutstanding:
            return None  # they may read the lesson; starting waits for the prerequisites
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(user=user, module=module, last_lesson=lesson)
                learning_event_module_started(user=user, module=module)
                return enrolment
        except IntegrityError:
            enrolment = selectors.enrolment_for(user, module)
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(
            last_lesson=lesson, updated_at=timezone.now()
        )
        enrolment.last_lesson_id = lesson.pk
    return enrolment


@dataclass
class CheckResult:
    attempt: CheckAttempt
    correct: bool
    feedback: list[tuple[str, bool, str]]  # (option text, is correct, feedback) for chosen ones
    explanation: str


def _check_block(lesson: LessonPage, block_id: str) -> Any:
    for block in lesson.body:
        if block.block_type == "knowledge_check" and block.id == block_id:
            return block
    return None


@transaction.atomic
def check_answer(
    *, user: User, lesson: LessonPage, block_id: str, round_number: int, positions: list[int]
) -> CheckResult:
    """Record one attempt at a lesson's knowledge check and say how it went. ``positions`` are
    where the chosen options were shown in round ``round_number``'s order (which is stored on
    the attempt); a round later than the person's attempts so far was never shown to them."""
    _require_learner(user)
    block = _check_block(lesson, block_id)
    if block is None or not lesson.live:
        raise PermissionDenied
    done = CheckAttempt.objects.filter(user=user, lesson=lesson, block_id=block_id).count()
    if not 0 <= round_number <= done:
        raise ValidationError(_("This question has changed. Choose your answer again."))
    value = block.value
    seed = drawing.lesson_check_seed(user_id=user.pk, block_id=block_id, round_=round_number)
    order = drawing.option_order(seed=seed, count=len(value["options"]))
    if value["kind"] == "single" and len(set(positions)) > 1:
        raise ValidationError(_("Choose one answer, then check your answer."))
    chosen = drawing.positions_to_stored(order, positions)
    correct = drawing.answer_mark(value, chosen)
    attempt = CheckAttempt.objects.create(
        user=user,
        lesson=lesson,
        block_id=block_id,
        selected=chosen,
        order=order,
        round=round_number,
        correct=correct,
    )
    learning_event_check_answered(user=user, lesson=lesson, block_id=block_id, correct=correct)
    options = list(value["options"])
    feedback = [
        (options[i]["text"], options[i]["correct"], options[i]["feedback"])
        for i in order
        if i in chosen
    ]
    return CheckResult(
        attempt=attempt, correct=correct, feedback=feedback, explanation=value["explanation"]
    )


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage, module: ModulePage) -> LessonCompletion:
    """Mark a lesson complete once each of its knowledge checks has been answered and each
    SCORM package it shows has counted as complete."""
    _require_learner(user)
    if not lesson.live or lesson.path[: len(module.path)] != module.path:
        raise PermissionDenied
    answered = set(
        CheckAttempt.objects.filter(user=user, lesson=lesson).values_list("block_id", flat=True)
    )
    missing = [b for b in lesson.knowledge_checks if b.id not in answered]
    if missing:
        raise ValidationError(
            _("Answer the knowledge check questions in this lesson before marking it complete.")
        )
    if scorm_outstanding(user, lesson) or h5p_outstanding(user, lesson):
        raise ValidationError(
            _("Finish the e-learning activity in this lesson before marking it complete.")
        )
    start_check(user=user, module=module)
    completion, created = LessonCompletion.objects.get_or_create(
        user=user, lesson=lesson, defaults={"module": module}
    )
    if created:
        learning_event_lesson_completed(user=user, lesson=lesson, module=module)
    Enrolment.objects.get_or_create(user=user, module=module)
    module_completion_update(user=user, module=module)
    return completion


class CheckReplaced(ValidationError):
    """The check being answered is no longer the person's next one (they have submitted it
    elsewhere since): they start again with freshly drawn questions."""


def module_check_mark(
    paper: selectors_checks.Paper, answers: dict[str, list[int]]
) -> tuple[dict[str, list[int]], int]:
    """Mark answers given as positions in the order shown: the stored options chosen for each
    question, and the score out of 100. Every question needs an answer (``ValidationError``
    naming those without one). Reads and writes nothing, so the check's simulation marks the
    same way as the page."""
    errors, chosen, right = {}, {}, 0
    for question in paper.questions:
        try:
            chosen[question.block_id] = drawing.positions_to_stored(
                question.order, answers.get(question.block_id, [])
            )
            right += drawing.answer_mark(question.value, chosen[question.block_id])
        except ValidationError:
            errors[question.block_id] = _("Answer this question.")
    if errors:
        raise ValidationError(errors)
    return chosen, round(100 * right / len(paper.questions))


@transaction.atomic
def module_check_submit(
    *, user: User, module: ModulePage, round_number: int, answers: dict[str, list[int]]
) -> ModuleCheckAttempt:
    """Mark an attempt at the end-of-module check. The questions and option orders are those
    drawn for the person's round ``round_number``, which must be their next one; ``answers``
    maps each question's block id to the positions chosen. Every question needs an answer."""
    _require_learner(user)
    if not module.live:
        raise PermissionDenied
    start_check(user=user, module=module)
    if round_number != selectors_checks.module_check_round(user, module):
        raise CheckReplaced(_("You have already submitted these answers. Here is a new check."))
    paper = selectors_checks.module_check_paper_for(user.pk, module, round_number)
    if not paper.questions:
        raise PermissionDenied
    chosen, score = module_check_mark(paper, answers)
    try:
        with transaction.atomic():
            attempt = ModuleCheckAttempt.objects.create(
                user=user,
                module=module,
                round=round_number,
                questions=[{"id": q.block_id, "order": q.order} for q in paper.questions],
                answers=chosen,
                score=score,
                passed=score >= module.pass_mark,
            )
    except IntegrityError as exc:  # the same round submitted twice at once
        raise CheckReplaced(
            _("You have already submitted these answers. Here is a new check.")
        ) from exc
    learning_event_module_check(user=user, module=module, score=score, passed=attempt.passed)
    audit_record(
        action="module_check.submitted",
        actor=user,
        target=module,
        data={"module_id": module.pk, "round": round_number, "score": score},
    )
    module_completion_update(user=user, module=module)
    return attempt


def module_completion_update(*, user: User, module: ModulePage) -> bool:
    """Complete the module when every live lesson is complete and the end-of-module check has
    been passed; then issue the certificate. Returns whether the module is complete."""
    enrolment, _created = Enrolment.objects.select_for_update().get_or_create(
        user=user, module=module
    )
    if enrolment.completed_at is not None:
        return True
    total = selectors.lesson_counts([module])[module.pk]
    done = LessonCompletion.objects.filter(user=user, module=module).count()
    passed = (
        not list(module.final_check)
        or ModuleCheckAttempt.objects.filter(user=user, module=module, passed=True).exists()
    )
    if total == 0 or done < total or not passed:
        return False
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at", "updated_at"])
    audit_record(
        action="module.completed", actor=user, target=module, data={"module_id": module.pk}
    )
    learning_event_module_completed(user=user, module=module)
    # Notices asking the person to complete this module (assignments) are done.
    notify_resolve(action_on=action_key("module.complete", module.pk), recipient=user)
    from modules.certificates.services import certificate_issue

    certificate_issue(user=user, module=module, completed_on=timezone.localdate())
    return True


@transaction.atomic
def confidence_record(
    *, user: User, module: ModulePage, phase: str, ratings: dict[int, int]
) -> int:
    """Store confidence ratings (1–5) for each learning outcome; before starting or after
    completing. Rating again replaces the earlier answer for that phase."""
    _require_learner(user)
    if phase not in ConfidenceRating.Phase.values:
        raise PermissionDenied
    outcomes = {o.pk for o in module.learning_outcomes.all()}
    if set(ratings) - outcomes:
        raise PermissionDenied
    if any(not 1 <= r <= 5 for r in ratings.values()):
        raise ValidationError(_("Choose a rating from 1 to 5 for each outcome."))
    if phase == ConfidenceRating.Phase.AFTER:
        enrolment = selectors.enrolment_for(user, module)
        if enrolment is None or enrolment.completed_at is None:
            raise ValidationError(
                _("You can rate your confidence afterwards once you have completed the module.")
            )
    # One upsert for every outcome (an update_or_create each was two queries per outcome).
    now = timezone.now()
    ConfidenceRating.objects.bulk_create(
        [
            ConfidenceRating(
                user=user,
                module=module,
                outcome_id=outcome_id,
                phase=phase,
                rating=rating,
                recorded_at=now,
            )
            for outcome_id, rating in ratings.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "outcome", "phase"],
        update_fields=["module", "rating", "recorded_at"],
    )
    return len(ratings)
