"""Writes for SCORM packages: an editor's upload (checked, unpacked into the default storage,
audited) and a learner's commit (their place, suspend data, status and score saved; the
package's completion completes the lesson through the lesson-completion service, which leaves
the module's certificate to the platform's own end-of-module check)."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.models import User
from learning.services import audit_record
from modules.models import LessonCompletion, LessonPage, ModulePage
from modules.scorm import selectors
from modules.scorm.models import ScormAttempt, ScormPackage, ScormVersion
from modules.scorm.packages import Inspected, package_inspect, safe_member_path

# What the data model allows: SCORM 1.2's suspend_data is 4,096 characters and 2004's 64,000;
# a location is 255 (1.2) or 1,000 (2004) characters.
MAX_SUSPEND_DATA = 64_000
MAX_LOCATION = 1_000
STATUSES_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
COMPLETION_2004 = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS_2004 = {"passed", "failed", "unknown"}
DONE_12 = {"passed", "completed"}


def package_files_store(
    upload: IO[bytes], entries: tuple[zipfile.ZipInfo, ...], prefix: str
) -> None:
    """Unpack the checked ``entries`` of the zip into the default storage under ``prefix``."""
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        for info in entries:
            member = safe_member_path(info.filename)
            if member is None:  # checked already; never store a name that could escape
                raise PermissionDenied
            name = f"{prefix}/{member}"
            with archive.open(info) as source:
                saved = default_storage.save(name, File(source, name=member))
            if saved != name:  # the storage renamed it: the package would not find it
                raise ValidationError(
                    _("A file in the package (%(name)s) could not be stored under its name.")
                    % {"name": member[:100]}
                )


def package_files_delete(prefix: str) -> None:
    """Delete everything stored under ``prefix`` (folder by folder, as storages list them)."""
    folders = [prefix]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in files:
            default_storage.delete(f"{folder}/{name}")
        folders.extend(f"{folder}/{sub}" for sub in subfolders)


def scorm_package_create(
    *, user: User, title: str, upload: IO[bytes], size: int, inspected: Inspected | None = None
) -> ScormPackage:
    """Check an uploaded SCORM zip (``modules.scorm.packages``), unpack its files into the
    default storage under a prefix of its own and record the package. ``inspected`` is the
    form's own check of the same upload, when it made one."""
    if not user.has_perm("modules.add_scormpackage"):
        raise PermissionDenied
    inspected = inspected or package_inspect(upload, size=size)
    prefix = f"scorm/{uuid.uuid4().hex}"
    try:
        package_files_store(upload, inspected.entries, prefix)
        with transaction.atomic():
            package = ScormPackage.objects.create(
                title=title or inspected.title or _("SCORM package"),
                version=inspected.version,
                launch=inspected.launch,
                prefix=prefix,
                file_count=len(inspected.entries),
                unzipped_bytes=inspected.unzipped_bytes,
                uploaded_by=user,
            )
            audit_record(
                action="scorm_package.uploaded",
                actor=user,
                target=package,
                data={
                    "package_id": package.pk,
                    "version": package.version,
                    "files": package.file_count,
                },
            )
    except BaseException:
        package_files_delete(prefix)
        raise
    return package


def scorm_package_delete(*, user: User, package: ScormPackage) -> None:
    """Delete a package, the learners' saved state in it and its stored files."""
    if not user.has_perm("modules.delete_scormpackage"):
        raise PermissionDenied
    prefix, package_id = package.prefix, package.pk
    with transaction.atomic():
        package.delete()
        audit_record(action="scorm_package.deleted", actor=user, data={"package_id": package_id})
    package_files_delete(prefix)


@dataclass(frozen=True)
class CommitResult:
    attempt: ScormAttempt
    package_complete: bool
    lesson_complete: bool


def _decimal(value: str | None, *, low: Decimal, high: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(_("The package sent a score that is not a number.")) from exc
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(_("The package sent a score out of range."))
    return number.quantize(Decimal("0.0001"))


def _text(value: str | None, limit: int) -> str:
    text = "" if value is None else str(value)
    if len(text) > limit:
        raise ValidationError(_("The package sent more data than SCORM allows."))
    return text


def _read(version: str, cmi: dict[str, str]) -> dict:
    """The fields of ``ScormAttempt`` from a flattened data model, checked."""
    big = Decimal("1e8")
    if version == ScormVersion.SCORM_12:
        status = cmi.get("cmi.core.lesson_status", "") or ""
        if status and status not in STATUSES_12:
            raise ValidationError(_("The package sent a lesson status SCORM 1.2 does not have."))
        return {
            "location": _text(cmi.get("cmi.core.lesson_location"), MAX_LOCATION),
            "suspend_data": _text(cmi.get("cmi.suspend_data"), MAX_SUSPEND_DATA),
            "completion_status": status,
            "success_status": status if status in ("passed", "failed") else "",
            "score_raw": _decimal(cmi.get("cmi.core.score.raw"), low=-big, high=big),
            "score_min": _decimal(cmi.get("cmi.core.score.min"), low=-big, high=big),
            "score_max": _decimal(cmi.get("cmi.core.score.max"), low=-big, high=big),
            "score_scaled": None,
        }
    completion = cmi.get("cmi.completion_status", "") or ""
    success = cmi.get("cmi.success_status", "") or ""
    if completion and completion not in COMPLETION_2004:
        raise ValidationError(_("The package sent a completion status SCORM 2004 does not have."))
    if success and success not in SUCCESS_2004:
        raise ValidationError(_("The package sent a success status SCORM 2004 does not have."))
    return {
        "location": _text(cmi.get("cmi.location"), MAX_LOCATION),
        "suspend_data": _text(cmi.get("cmi.suspend_data"), MAX_SUSPEND_DATA),
        "completion_status": completion,
        "success_status": success,
        "score_raw": _decimal(cmi.get("cmi.score.raw"), low=-big, high=big),
        "score_min": _decimal(cmi.get("cmi.score.min"), low=-big, high=big),
        "score_max": _decimal(cmi.get("cmi.score.max"), low=-big, high=big),
        "score_scaled": _decimal(cmi.get("cmi.score.scaled"), low=Decimal(-1), high=Decimal(1)),
    }


def package_done(version: str, fields: dict) -> bool:
    """Whether the package counts as complete: SCORM 1.2 "completed" or "passed", SCORM
    2004 "completed"."""
    if version == ScormVersion.SCORM_12:
        return fields["completion_status"] in DONE_12
    return fields["completion_status"] == "completed"


@transaction.atomic
def scorm_commit(
    *,
    user: User,
    lesson: LessonPage,
    module: ModulePage,
    package: ScormPackage,
    cmi: dict[str, str],
) -> CommitResult:
    """Save what the package committed for ``user`` in ``lesson``. The first time it counts
    as complete the lesson is completed through ``lesson_complete`` (if the lesson's own
    knowledge checks are still to answer, the lesson waits for them); a completed package
    stays complete, whatever it sends later."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    if selectors.lesson_package(lesson.pk, package.pk) is None:
        raise PermissionDenied
    fields = _read(package.version, cmi)
    attempt, created = ScormAttempt.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, package=package, defaults=fields
    )
    if created:
        audit_record(
            action="scorm.started",
            actor=user,
            target=lesson,
            data={"lesson_id": lesson.pk, "package_id": package.pk},
        )
    else:
        for name, value in fields.items():
            setattr(attempt, name, value)
    done = package_done(package.version, fields)
    newly_done = done and attempt.completed_at is None
    if newly_done:
        attempt.completed_at = timezone.now()
    attempt.updated_at = timezone.now()
    attempt.save()
    lesson_done = False
    if attempt.completed_at is not None:
        if newly_done:
            audit_record(
                action="scorm.completed",
                actor=user,
                target=lesson,
                data={
                    "lesson_id": lesson.pk,
                    "package_id": package.pk,
                    "score_raw": str(attempt.score_raw) if attempt.score_raw is not None else None,
                    "success_status": attempt.success_status,
                },
            )
        from modules.progress.services import lesson_complete

        if not newly_done and LessonCompletion.objects.filter(user=user, lesson=lesson).exists():
            return CommitResult(attempt=attempt, package_complete=True, lesson_complete=True)
        try:
            with transaction.atomic():
                lesson_complete(user=user, lesson=lesson, module=module)
        except ValidationError:
            pass  # its knowledge checks, or a prerequisite, come first
        else:
            lesson_done = True
    return CommitResult(
        attempt=attempt,
        package_complete=attempt.completed_at is not None,
        lesson_complete=lesson_done,
    )
