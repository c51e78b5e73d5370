"""Reads for SCORM packages: the package behind a signed file link, a lesson's packages, and
a learner's saved place in one (scoped to that learner: anyone else's is not found)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core import signing

from learning.models import User
from modules.models import LessonPage, ModulePage
from modules.progress import selectors as progress
from modules.scorm.models import ScormAttempt, ScormPackage, ScormVersion

LINK_SALT = "hope.scorm.package-files"
BLOCK_TYPE = "scorm"


def package_from_token(package_id: int, token: str, *, max_age: int) -> ScormPackage | None:
    """The package a file link names, if its token was signed for that package within
    ``max_age`` seconds (one query only then)."""
    try:
        signed_id = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if signed_id != package_id:
        return None
    return ScormPackage.objects.filter(pk=package_id).only("id", "prefix", "launch").first()


def package_ids_in(blocks: Iterable[Any]) -> list[int]:
    """The packages a lesson's body shows, from its raw data (no blocks are built)."""
    ids = []
    for block in blocks:
        if block.get("type") == BLOCK_TYPE:
            value = block.get("value") or {}
            package = value.get("package")
            if isinstance(package, int):
                ids.append(package)
    return ids


def lesson_package(lesson_id: int, package_id: int) -> tuple[LessonPage, ModulePage] | None:
    """A live lesson (in a live module) whose body shows package ``package_id``, and its
    module; ``None`` for anything else, so a learner can only save state for a package in a
    lesson they can open."""
    lesson = progress.live_lessons().filter(pk=lesson_id).first()
    if lesson is None or package_id not in package_ids_in(lesson.body.raw_data):
        return None
    module = progress.module_of(lesson)
    if module is None:
        return None
    return lesson, module


def package_in_lesson(
    lesson_id: int, package_id: int
) -> tuple[LessonPage, ModulePage, ScormPackage] | None:
    """``lesson_package`` with the package itself: what a learner's save is about, or ``None``."""
    found = lesson_package(lesson_id, package_id)
    package = ScormPackage.objects.filter(pk=package_id).first() if found else None
    if found is None or package is None:
        return None
    return (*found, package)


def attempt_for(
    user: User | AnonymousUser, lesson: LessonPage, package: ScormPackage
) -> ScormAttempt | None:
    """The person's own saved state for ``package`` in ``lesson``, if any."""
    if not user.is_authenticated:
        return None
    return ScormAttempt.objects.filter(user=user, lesson=lesson, package=package).first()


def scorm_outstanding(user: User, lesson: LessonPage) -> bool:
    """Whether the lesson shows a SCORM package the person has not completed (no query for a
    lesson without one)."""
    ids = set(package_ids_in(lesson.body.raw_data))
    if not ids:
        return False
    done = set(
        ScormAttempt.objects.filter(
            user=user, lesson=lesson, package_id__in=ids, completed_at__isnull=False
        ).values_list("package_id", flat=True)
    )
    return bool(ids - done)


def _number(value: Any) -> str:
    return "" if value is None else format(value.normalize(), "f")


def initial_cmi(version: str, attempt: ScormAttempt | None) -> dict[str, str]:
    """The runtime's starting data model, flattened, from the saved state: the package
    resumes at its saved place with its own suspend data. No name or identifier of the
    learner is given to the package."""
    if version == ScormVersion.SCORM_12:
        if attempt is None:
            return {"cmi.core.entry": "ab-initio"}
        data = {
            "cmi.core.entry": "resume",
            "cmi.core.lesson_location": attempt.location,
            "cmi.suspend_data": attempt.suspend_data,
            "cmi.core.lesson_status": attempt.completion_status or "incomplete",
            "cmi.core.score.raw": _number(attempt.score_raw),
            "cmi.core.score.min": _number(attempt.score_min),
            "cmi.core.score.max": _number(attempt.score_max),
        }
    else:
        if attempt is None:
            return {"cmi.entry": "ab-initio"}
        data = {
            "cmi.entry": "resume",
            "cmi.location": attempt.location,
            "cmi.suspend_data": attempt.suspend_data,
            "cmi.completion_status": attempt.completion_status or "incomplete",
            "cmi.success_status": attempt.success_status or "unknown",
            "cmi.score.raw": _number(attempt.score_raw),
            "cmi.score.min": _number(attempt.score_min),
            "cmi.score.max": _number(attempt.score_max),
            "cmi.score.scaled": _number(attempt.score_scaled),
        }
    return {key: value for key, value in data.items() if value != ""}
