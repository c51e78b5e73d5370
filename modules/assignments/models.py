"""Assignments: a module an organisation asks a person to complete, with a due date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Assignment(models.Model):
    """A module assigned to a member by their organisation admin, with a due date. Reminder
    columns are claimed with a conditional update so each reminder goes once."""

    organisation = models.ForeignKey(
        "learning.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    module = models.ForeignKey("modules.ModulePage", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "module"],
                condition=Q(cancelled_at__isnull=True),
                name="assignment_once_per_member_module",
            )
        ]
        indexes = [models.Index(fields=["due_on"], name="assignment_due")]

    def __str__(self) -> str:
        return f"module {self.module_id} for {self.user_id} by {self.due_on}"
