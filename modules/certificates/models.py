"""Certificates: issued once per completed module, with the title, date and minutes frozen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    """A certificate of completion. What it shows is frozen when it is issued; the public
    verification page shows only that."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="certificates"
    )
    module = models.ForeignKey(
        "modules.ModulePage", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    code = models.CharField(max_length=20, unique=True)
    holder_name = models.CharField(max_length=200)
    module_title = models.CharField(max_length=255)
    cpd_minutes = models.PositiveSmallIntegerField()
    completed_on = models.DateField()
    issued_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(upload_to="certificates/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module"],
                condition=Q(user__isnull=False),
                name="certificate_once_per_module",
            )
        ]

    def __str__(self) -> str:
        return self.code
