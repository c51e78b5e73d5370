"""Writes for H5P content: an editor's upload (checked, unpacked into the default storage,
audited) and a learner's result (the xAPI "completed" or "answered" the content reported:
its score kept, its completion completing the lesson through the lesson-completion service,
which leaves the module's certificate to the platform's own end-of-module check)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.models import User
from learning.services import audit_record
from modules.h5p import selectors
from modules.h5p.models import H5PContent, H5PResult
from modules.h5p.packages import InspectedH5P, h5p_inspect
from modules.models import LessonCompletion, LessonPage, ModulePage
from modules.scorm.services import package_files_delete, package_files_store

VERBS = {"completed", "answered"}


def h5p_content_create(
    *, user: User, title: str, upload: IO[bytes], size: int, inspected: InspectedH5P | None = None
) -> H5PContent:
    """Check an uploaded H5P file, unpack it into the default storage under a prefix of its
    own and record the content."""
    if not user.has_perm("modules.add_h5pcontent"):
        raise PermissionDenied
    inspected = inspected or h5p_inspect(upload, size=size)
    prefix = f"h5p/{uuid.uuid4().hex}"
    try:
        package_files_store(upload, inspected.entries, prefix)
        with transaction.atomic():
            content = H5PContent.objects.create(
                title=title or inspected.title or _("H5P content"),
                main_library=inspected.main_library,
                prefix=prefix,
                file_count=len(inspected.entries),
                unzipped_bytes=inspected.unzipped_bytes,
                uploaded_by=user,
            )
            audit_record(
                action="h5p_content.uploaded",
                actor=user,
                target=content,
                data={"content_id": content.pk, "files": content.file_count},
            )
    except BaseException:
        package_files_delete(prefix)
        raise
    return content


def h5p_content_delete(*, user: User, content: H5PContent) -> None:
    """Delete H5P content, the learners' results in it and its stored files."""
    if not user.has_perm("modules.delete_h5pcontent"):
        raise PermissionDenied
    prefix, content_id = content.prefix, content.pk
    with transaction.atomic():
        content.delete()
        audit_record(action="h5p_content.deleted", actor=user, data={"content_id": content_id})
    package_files_delete(prefix)


@dataclass(frozen=True)
class ResultSaved:
    result: H5PResult
    lesson_complete: bool


def _score(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal("1e8"):
        raise ValidationError(_("The content sent a score out of range."))
    return value.quantize(Decimal("0.0001"))


@transaction.atomic
def h5p_result_record(
    *,
    user: User,
    lesson: LessonPage,
    module: ModulePage,
    content: H5PContent,
    verb: str,
    completion: bool,
    score_raw: Decimal | None,
    score_max: Decimal | None,
) -> ResultSaved:
    """Record an xAPI "completed" or "answered" from ``content`` for ``user`` in ``lesson``.
    "completed", or "answered" with its result complete, counts as complete: the first time,
    the lesson is completed through ``lesson_complete`` (its own knowledge checks first)."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    if selectors.lesson_content(lesson.pk, content.pk) is None:
        raise PermissionDenied
    if verb not in VERBS:
        raise ValidationError(_("The content sent an event that is not recorded."))
    raw, top = _score(score_raw), _score(score_max)
    if raw is not None and top is not None and raw > top:
        raise ValidationError(_("The content sent a score out of range."))
    result, _created = H5PResult.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, content=content
    )
    result.verb, result.score_raw, result.score_max = verb, raw, top
    newly_done = (verb == "completed" or completion) and result.completed_at is None
    if newly_done:
        result.completed_at = timezone.now()
        audit_record(
            action="h5p.completed",
            actor=user,
            target=lesson,
            data={
                "lesson_id": lesson.pk,
                "content_id": content.pk,
                "score_raw": str(raw) if raw is not None else None,
            },
        )
    result.updated_at = timezone.now()
    result.save()
    if result.completed_at is None:
        return ResultSaved(result=result, lesson_complete=False)
    if not newly_done and LessonCompletion.objects.filter(user=user, lesson=lesson).exists():
        return ResultSaved(result=result, lesson_complete=True)
    from modules.progress.services import lesson_complete

    try:
        with transaction.atomic():
            lesson_complete(user=user, lesson=lesson, module=module)
    except ValidationError:
        return ResultSaved(result=result, lesson_complete=False)
    return ResultSaved(result=result, lesson_complete=True)
