"""A learner's progress. Each table is keyed so that the question it answers is one cheap
query: "which lessons of this module has this person completed?" is a count on
``LessonCompletion``; nothing walks StreamField blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    module = models.ForeignKey(
        "modules.ModulePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        "modules.LessonPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content_note_seen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="enrolment_once_per_module")
        ]
        indexes = [models.Index(fields=["user", "-updated_at"], name="enrolment_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.module_id}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("modules.LessonPage", on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey("modules.ModulePage", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completed_once")
        ]
        indexes = [models.Index(fields=["user", "module"], name="completion_user_module")]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} completed by {self.user_id}"


class CheckAttempt(models.Model):
    """Every answer to a lesson's knowledge check, right or wrong. ``selected`` holds stored
    option indexes; ``order`` the stored indexes in the order this attempt showed them, and
    ``round`` how many attempts at the question came before (see modules/progress/drawing.py).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("modules.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    selected = models.JSONField(default=list)
    order = models.JSONField(default=list, db_default=Value([], output_field=models.JSONField()))
    round = models.PositiveIntegerField(default=0, db_default=0)
    correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "lesson"], name="attempt_user_lesson")]

    def __str__(self) -> str:
        return f"check {self.block_id} by {self.user_id}: {self.correct}"


class ModuleCheckAttempt(models.Model):
    """Every attempt at a module's end-of-module check, with its score. ``round`` counts the
    person's earlier attempts at the module: it fixes which questions were drawn from the bank
    and in what order their options were shown, both kept in ``questions`` as
    ``[{"id": block id, "order": [stored option indexes as shown]}]`` for the review.
    ``answers`` maps each block id to the stored indexes chosen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey("modules.ModulePage", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveIntegerField(default=0, db_default=0)
    questions = models.JSONField(
        default=list, db_default=Value([], output_field=models.JSONField())
    )
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="module_check_score_percent"),
            models.UniqueConstraint(
                fields=["user", "module", "round"], name="module_check_round_once"
            ),
        ]
        indexes = [models.Index(fields=["user", "module"], name="modcheck_user_module")]

    def __str__(self) -> str:
        return f"module {self.module_id} check by {self.user_id}: {self.score}%"


class ConfidenceRating(models.Model):
    """Confidence (1–5) on one learning outcome, before starting and after completing."""

    class Phase(models.TextChoices):
        BEFORE = "before", _("Before the module")
        AFTER = "after", _("After the module")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey("modules.ModulePage", on_delete=models.CASCADE, related_name="+")
    outcome = models.ForeignKey(
        "modules.LearningOutcome", on_delete=models.CASCADE, related_name="+"
    )
    phase = models.CharField(max_length=6, choices=Phase.choices)
    rating = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "outcome", "phase"], name="confidence_once_per_phase"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="confidence_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"outcome {self.outcome_id} {self.phase}: {self.rating}"
