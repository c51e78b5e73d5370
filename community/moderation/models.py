"""A request to reveal who wrote an anonymous thread. One facilitator of the space asks, with a
reason; a second person (another facilitator of that space, or the national coordinator)
confirms or declines. Only a confirmed request shows the author, and only to those two. A
request that nobody decides lapses after ``REVEAL_REQUEST_DAYS``.

Imported by ``community.models`` so that it belongs to the community app."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REVEAL_REQUEST_DAYS = 7


def reveal_expiry() -> datetime:
    return timezone.now() + timedelta(days=REVEAL_REQUEST_DAYS)


class RevealStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a second person")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Lapsed")


class RevealRequest(models.Model):
    thread = models.ForeignKey(
        "community.Thread", on_delete=models.CASCADE, related_name="reveal_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(
        max_length=12, choices=RevealStatus.choices, default=RevealStatus.WAITING
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=reveal_expiry)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One request waits per thread at a time.
            models.UniqueConstraint(
                fields=["thread"],
                condition=Q(status="waiting"),
                name="reveal_request_one_waiting",
            ),
            # Nobody confirms their own request.
            models.CheckConstraint(
                condition=~Q(decided_by=F("requested_by")),
                name="reveal_request_second_person",
            ),
            # A decision names who made it and when; a waiting request has neither.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["confirmed", "declined"], decided_at__isnull=False)
                    | Q(status__in=["waiting", "expired"], decided_by__isnull=True)
                ),
                name="reveal_request_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="reveal_request_expires_after_creation",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="reveal_request_due")]

    def __str__(self) -> str:
        return f"Reveal request {self.pk} on thread {self.thread_id}"

    @property
    def is_waiting(self) -> bool:
        """Asked, not yet decided, and not lapsed."""
        return self.status == RevealStatus.WAITING and self.expires_at > timezone.now()

    @property
    def is_confirmed(self) -> bool:
        return self.status == RevealStatus.CONFIRMED

    @property
    def has_lapsed(self) -> bool:
        return self.status == RevealStatus.EXPIRED or (
            self.status == RevealStatus.WAITING and self.expires_at <= timezone.now()
        )
