"""Supervisor sign-off of a journal entry's learning summary.

A ``SignOffRequest`` holds a copy of the summary frozen at the moment the author shared it (never
the private narrative), with a SHA-256 hash of that copy. Signing off locks the version: only
the signer can reopen it, with a reason. The request outlives its entry (``SET_NULL``), so a
signed version stays with the sign-off record after the entry is deleted.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from learning.encryption import EncryptedTextField
from learning.sanitise import sanitise_html

__all__ = ["SignOffRequest", "summary_hash"]


def summary_hash(summary: str) -> str:
    """The SHA-256 hex digest of a frozen summary."""
    return hashlib.sha256(summary.encode("utf-8")).hexdigest()


class SignOffRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for sign-off")
        SIGNED_OFF = "signed_off", _("Signed off")
        RETURNED = "returned", _("Returned for more")
        REOPENED = "reopened", _("Reopened")
        WITHDRAWN = "withdrawn", _("Replaced by a newer version")

    # Statuses a supervisor can still decide.
    OPEN = (Status.PENDING, Status.REOPENED)

    entry = models.ForeignKey(
        "reflection.JournalEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signoff_requests",
    )
    # Nullable: a signed-off version survives its author erasing their account, pseudonymised
    # ("A former member"), so the supervisor's sign-off record stays as they saw it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="signoff_requests_made",
    )
    # Nullable: the author keeps their signed-off record when the supervisor erases their account
    # ("A former supervisor").
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="signoff_requests_received",
    )
    version = models.PositiveIntegerField(_("version"))
    # The summary as it was when shared: the only text a supervisor ever sees.
    summary = EncryptedTextField(_("learning summary"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    note = EncryptedTextField(_("note to the supervisor"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    comment = EncryptedTextField(_("supervisor's comment"), blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    signer_role = models.CharField(_("signer's role"), max_length=200, blank=True, default="")
    reopen_reason = EncryptedTextField(_("reason for reopening"), blank=True, default="")
    reopened_at = models.DateTimeField(null=True, blank=True)
    supervisor_notified_at = models.DateTimeField(null=True, blank=True)
    author_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sign-off request")
        verbose_name_plural = _("sign-off requests")
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status="pending"),
                name="signoff_one_pending_per_entry",
            ),
            models.UniqueConstraint(
                fields=["entry", "version"],
                condition=Q(entry__isnull=False),
                name="signoff_one_version_number_per_entry",
            ),
            models.CheckConstraint(
                condition=Exact(Length("content_hash"), 64), name="signoff_hash_is_64_chars"
            ),
        ]
        indexes = [
            models.Index(fields=["supervisor", "status"], name="signoff_supervisor_status"),
            models.Index(fields=["author", "-created_at"], name="signoff_author_created"),
        ]

    def __str__(self) -> str:
        # Never any text: this may end up in logs or error pages.
        return f"Sign-off request {self.pk}"

    @property
    def summary_html(self):
        return sanitise_html(self.summary, profile="reflection")

    @property
    def hash_prefix(self) -> str:
        return self.content_hash[:12]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def opening_words(self) -> str:
        """The summary's first words as plain text: what tells two versions apart in a list."""
        from django.utils.text import Truncator

        from learning.sanitise import sanitise_text

        return Truncator(" ".join(sanitise_text(self.summary).split())).words(12)

    @property
    def tag(self):
        """The status as a tag (``reflection.signoff.status``)."""
        from reflection.signoff.status import request_tag

        return request_tag(self.status)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SIGNED_OFF
