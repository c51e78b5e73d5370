"""The durable queue of xAPI statements waiting for (or sent to) the learning record store
(``learning/xapi.py``). The row's id is the statement's id, so sending one twice is harmless."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class XapiStatement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the learning record store")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Who the statement is about: for data rights (export, erasure), never sent as such.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=40)
    statement = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "learning"
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="xapi_statement_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="xapi_statement_due",
            ),
            models.Index(fields=["user"], name="xapi_statement_user"),
        ]

    def __str__(self) -> str:
        return f"xAPI statement {self.pk} ({self.verb}, {self.status})"


__all__ = ["XapiStatement"]
