"""SCORM packages and each learner's place in them.

A package is a zip an editor uploaded: its files are unpacked into the default storage under
``prefix`` and served only through ``modules.scorm.views.package_file``. A lesson shows it
with the ``scorm`` block. ``ScormAttempt`` keeps what the package saved for one learner in one
lesson (their place, its own suspend data, status and score), so that they carry on where they
left off; suspend data is free text the package writes, so it is encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.encryption import EncryptedTextField


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", "SCORM 1.2"
    SCORM_2004 = "2004", "SCORM 2004"


class ScormPackage(models.Model):
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("SCORM version"), max_length=4, choices=ScormVersion.choices)
    launch = models.CharField(
        _("launch file"), max_length=1000, help_text=_("Read from the package's manifest.")
    )
    prefix = models.CharField(max_length=100, unique=True, editable=False)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    unzipped_bytes = models.PositiveBigIntegerField(_("size unpacked (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_version_display()})"

    @property
    def launch_path(self) -> str:
        """The launch file without the query string the manifest may give it."""
        return self.launch.partition("?")[0]


class ScormAttempt(models.Model):
    """What one SCORM package saved for one learner in one lesson. ``completion_status`` is
    the package's own word (SCORM 1.2's ``lesson_status`` or SCORM 2004's
    ``completion_status``); ``completed_at`` is when it first counted as complete."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("modules.LessonPage", on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="attempts")
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = EncryptedTextField(blank=True)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=20, blank=True)
    score_raw = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "package"], name="scorm_attempt_once_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"package {self.package_id} in lesson {self.lesson_id} by {self.user_id}"
