"""An ESR export: an organisation's completions as a CSV an Electronic Staff Record administrator
can load as external learning, built by a Celery task for the organisation admin who asked for
it, until it expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EsrExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "learning.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # The completion dates asked for; either end may be open.
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="esr-exports/", blank=True)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="esr_export_progress_percent",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(finished_at__isnull=False),
                name="esr_export_ready_has_time",
            ),
            models.CheckConstraint(
                condition=Q(date_from__isnull=True)
                | Q(date_to__isnull=True)
                | Q(date_from__lte=models.F("date_to")),
                name="esr_export_period_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="esr_export_mine"),
            models.Index(
                fields=["expires_at"],
                condition=Q(status__in=["pending", "running", "ready"]),
                name="esr_export_expiring",
            ),
        ]

    def __str__(self) -> str:
        return f"ESR export {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED, self.Status.EXPIRED)


__all__ = ["EsrExport"]
