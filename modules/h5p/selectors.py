"""Reads for H5P content: the content behind a signed file link, a lesson's H5P content, and
a learner's own result in it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core import signing

from learning.models import User
from modules.h5p.models import H5PContent, H5PResult
from modules.models import LessonPage, ModulePage
from modules.progress import selectors as progress

LINK_SALT = "hope.h5p.content-files"
BLOCK_TYPE = "h5p"


def content_from_token(content_id: int, token: str, *, max_age: int) -> H5PContent | None:
    """The content a file link names, if its token was signed for it within ``max_age``."""
    try:
        signed_id = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if signed_id != content_id:
        return None
    return H5PContent.objects.filter(pk=content_id).only("id", "prefix").first()


def content_ids_in(blocks: Iterable[Any]) -> list[int]:
    ids = []
    for block in blocks:
        if block.get("type") == BLOCK_TYPE:
            content = (block.get("value") or {}).get("content")
            if isinstance(content, int):
                ids.append(content)
    return ids


def lesson_content(lesson_id: int, content_id: int) -> tuple[LessonPage, ModulePage] | None:
    """A live lesson (in a live module) whose body shows H5P content ``content_id``, and its
    module; ``None`` for anything else."""
    lesson = progress.live_lessons().filter(pk=lesson_id).first()
    if lesson is None or content_id not in content_ids_in(lesson.body.raw_data):
        return None
    module = progress.module_of(lesson)
    if module is None:
        return None
    return lesson, module


def content_in_lesson(
    lesson_id: int, content_id: int
) -> tuple[LessonPage, ModulePage, H5PContent] | None:
    """``lesson_content`` with the content itself: what a learner's save is about, or ``None``."""
    found = lesson_content(lesson_id, content_id)
    content = H5PContent.objects.filter(pk=content_id).first() if found else None
    if found is None or content is None:
        return None
    return (*found, content)


def result_for(
    user: User | AnonymousUser, lesson: LessonPage, content: H5PContent
) -> H5PResult | None:
    if not user.is_authenticated:
        return None
    return H5PResult.objects.filter(user=user, lesson=lesson, content=content).first()


def h5p_outstanding(user: User, lesson: LessonPage) -> bool:
    """Whether the lesson shows H5P content the person has not completed (no query for a
    lesson without any)."""
    ids = set(content_ids_in(lesson.body.raw_data))
    if not ids:
        return False
    done = set(
        H5PResult.objects.filter(
            user=user, lesson=lesson, content_id__in=ids, completed_at__isnull=False
        ).values_list("content_id", flat=True)
    )
    return bool(ids - done)
