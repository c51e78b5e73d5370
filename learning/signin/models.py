"""Email domains of organisations, and the provider sessions behind work-account sign-ins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

__all__ = ["DomainClaim", "OrganisationEmailDomain", "ProviderSession"]


class OrganisationEmailDomain(models.Model):
    """An email domain whose people belong to an organisation. People who type an address at
    this domain on the work sign-in page are sent to the organisation's provider; with
    ``require_provider`` on, they cannot sign in with a password or reset one."""

    organisation = ParentalKey(
        "learning.Organisation", on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(
        _("email domain"),
        max_length=253,
        unique=True,
        help_text=_("The part after the @, in lower case, for example nhs.net"),
    )
    require_provider = models.BooleanField(
        _("work account sign-in only"),
        default=False,
        help_text=_(
            "People at this domain must sign in with their work account: password sign-in and "
            "password resets are refused, so someone who leaves cannot sign in once their work "
            "account is removed."
        ),
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("email domain")
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain="") & ~Q(domain__contains="@"),
                name="email_domain_lower_case_without_at",
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        # What an admin types ("@Trust.NHS.uk ") is stored as the constraint requires.
        self.domain = (self.domain or "").strip().lstrip("@").lower()


class ProviderSession(models.Model):
    """One sign-in through a work account's provider: which session of ours it began, so the
    provider can end it (back-channel logout) and we can confirm it again after a while."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_sessions"
    )
    provider_id = models.CharField(max_length=100)
    subject = models.CharField(max_length=255)
    sid = models.CharField(max_length=255, blank=True, default="")
    session_key = models.CharField(max_length=40)
    mfa = models.BooleanField(default=False)
    signed_in_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["provider_id", "sid"], name="provider_session_sid"),
            models.Index(fields=["provider_id", "subject"], name="provider_session_sub"),
            models.Index(fields=["session_key"], name="provider_session_key"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} session of {self.user_id}"


class DomainClaim(models.Model):
    """An organisation admin's request to link an email domain to their organisation. A link
    goes to an address they name at that domain; the domain is linked only when they open it,
    signed in, so linking needs control of a mailbox there as well as the admin role. The
    link's token is an HMAC of the claim's id and a random nonce under the deployment's secret
    key (``learning.signin.domains``): the database alone cannot forge it."""

    organisation = models.ForeignKey(
        "learning.Organisation", on_delete=models.CASCADE, related_name="domain_claims"
    )
    domain = models.CharField(_("email domain"), max_length=253)
    email = models.EmailField(_("address the link was sent to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="domain_claims"
    )
    nonce = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain="") & ~Q(domain__contains="@"),
                name="domain_claim_lower_case_without_at",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="domain_claim_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at=None) | Q(withdrawn_at=None),
                name="domain_claim_confirmed_or_withdrawn_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} for {self.organisation_id}"
