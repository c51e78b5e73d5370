"""A report export: one section's table as CSV, built by a Celery task, for the person who asked
for it, until it expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Empty for a national export.
    organisation = models.ForeignKey(
        "learning.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    section_key = models.CharField(max_length=60)
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="report-exports/", blank=True)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        app_label = "learning"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="report_export_progress_percent",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(finished_at__isnull=False),
                name="report_export_ready_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="report_export_mine"),
            models.Index(
                fields=["expires_at"],
                condition=Q(status__in=["pending", "running", "ready"]),
                name="report_export_expiring",
            ),
        ]

    def __str__(self) -> str:
        return f"Report export {self.pk} ({self.section_key})"

    @property
    def is_national(self) -> bool:
        return self.organisation_id is None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED, self.Status.EXPIRED)


__all__ = ["ReportExport"]
