"""A shared revalidation portfolio: a read-only, time-limited, revocable link a person gives an
appraiser or confirmer who may have no account.

The link carries a random secret; only its SHA-256 hash is kept (``token_hash``). What the link
shows is frozen when the share is made (``bundle``, encrypted at rest): the parts the person
chose, as they stood that day, so that later changes to the portfolio are not shown and the
journal is never read at opening time. Evidence files are reached through the share only when
the person ticked them (``evidence``). Every opening is logged (``PortfolioShareOpening``) and
audited; the person sees the log on the share's page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.encryption import EncryptedTextField
from reflection.portfolio.models import ExternalCpd

SHARE_DAYS_DEFAULT = 14
SHARE_DAYS_MAX = 30


class PortfolioShare(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_shares"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    include_cpd = models.BooleanField(_("CPD record"), default=False)
    include_feedback = models.BooleanField(_("practice-related feedback"), default=False)
    include_supervision = models.BooleanField(_("supervision log"), default=False)
    accounts_count = models.PositiveSmallIntegerField(_("reflective accounts"), default=0)
    # The chosen parts as JSON, frozen when the share was made (reflection.shares.bundle).
    bundle = EncryptedTextField(blank=True, default="")
    evidence = models.ManyToManyField(ExternalCpd, blank=True, related_name="+")
    recipient_name = models.CharField(_("who it is for"), max_length=100, blank=True)
    recipient_role = models.CharField(_("their role"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("shared portfolio")
        verbose_name_plural = _("shared portfolios")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="portfolio_share_expires_after_created",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("created_at")),
                name="portfolio_share_revoked_after_created",
            ),
            models.CheckConstraint(
                condition=Q(include_cpd=True)
                | Q(include_feedback=True)
                | Q(include_supervision=True)
                | Q(accounts_count__gt=0),
                name="portfolio_share_holds_something",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="portfolio_share_owner")]

    def __str__(self) -> str:
        # Never the recipient: this may end up in logs.
        return f"Shared portfolio {self.pk}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        """One of "active", "expired" or "revoked", as the person's list shows it."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active() else "expired"


class PortfolioShareOpening(models.Model):
    """One opening of a shared portfolio, or one download of an evidence file through it. No
    address is kept here: the audit log holds that, for the people who run the platform."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Opened")
        EVIDENCE = "evidence", _("Evidence file downloaded")

    share = models.ForeignKey(PortfolioShare, on_delete=models.CASCADE, related_name="openings")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAGE)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["share", "-opened_at"], name="portfolio_share_opening_share")
        ]

    def __str__(self) -> str:
        return f"Shared portfolio opening {self.pk}"
