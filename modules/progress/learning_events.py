"""Learning events sent out as xAPI statements (``learning.xapi``): the activities are the
module and lesson pages, named by their page ids and titles. Called from the progress and
certificate services inside their transactions; nothing here reads or sends an answer's text."""

from __future__ import annotations

from learning.models import User
from learning.xapi import Activity, record_learning_event
from modules.models import LessonPage, ModulePage


def module_activity(module: ModulePage) -> Activity:
    return Activity(kind="module", key=module.pk, name=module.title)


def learning_event_module_started(*, user: User, module: ModulePage) -> None:
    record_learning_event(user=user, verb="attempted", activity=module_activity(module))


def learning_event_lesson_completed(*, user: User, lesson: LessonPage, module: ModulePage) -> None:
    record_learning_event(
        user=user,
        verb="completed",
        activity=Activity(kind="lesson", key=lesson.pk, name=lesson.title),
        parent=module_activity(module),
        completion=True,
    )


def learning_event_check_answered(
    *, user: User, lesson: LessonPage, block_id: str, correct: bool
) -> None:
    """A lesson's knowledge check: whether the answer was right, never what was chosen."""
    record_learning_event(
        user=user,
        verb="answered",
        activity=Activity(kind="check", key=f"{lesson.pk}-{block_id}"),
        parent=Activity(kind="lesson", key=lesson.pk, name=lesson.title),
        success=correct,
    )


def learning_event_module_check(
    *, user: User, module: ModulePage, score: int, passed: bool
) -> None:
    """The end-of-module check: the score out of 100 and whether it passed."""
    record_learning_event(
        user=user,
        verb="completed",
        activity=Activity(kind="assessment", key=module.pk, name=module.title),
        parent=module_activity(module),
        success=passed,
        completion=True,
        score=score,
        score_max=100,
    )


def learning_event_module_completed(*, user: User, module: ModulePage) -> None:
    record_learning_event(
        user=user, verb="completed", activity=module_activity(module), completion=True
    )


def learning_event_certificate_issued(*, user: User, module: ModulePage, code: str) -> None:
    record_learning_event(
        user=user,
        verb="earned",
        activity=Activity(kind="certificate", key=code, name=module.title),
        parent=module_activity(module),
    )
