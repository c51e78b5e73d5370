"""H5P content and each learner's result in it.

An H5P file is a zip of content and the libraries that play it. Its files are unpacked into
the default storage under ``prefix`` and played by h5p-standalone inside a sandboxed frame
(docs/scorm.md, "H5P content"). ``H5PResult`` keeps the score and completion the content
reported for one learner in one lesson.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class H5PContent(models.Model):
    title = models.CharField(_("title"), max_length=200)
    main_library = models.CharField(_("content type"), max_length=200, editable=False)
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
        verbose_name = _("H5P content")
        verbose_name_plural = _("H5P content")

    def __str__(self) -> str:
        return self.title


class H5PResult(models.Model):
    """What H5P content reported for one learner in one lesson: its last score and when it
    first counted as complete (an xAPI "completed", or "answered" with the result complete)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("modules.LessonPage", on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="results")
    verb = models.CharField(max_length=20, blank=True)
    score_raw = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "content"], name="h5p_result_once_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"H5P {self.content_id} in lesson {self.lesson_id} by {self.user_id}"
