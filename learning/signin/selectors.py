"""Reads for work-account sign-in: which organisation and provider an email address belongs
to, and how each member of an organisation signs in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.signin.models import DomainClaim, OrganisationEmailDomain

if TYPE_CHECKING:
    from learning.models import Organisation


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def email_domain_for(email: str) -> OrganisationEmailDomain | None:
    """The organisation domain an address belongs to (exact match on the part after the @)."""
    domain = domain_of(email)
    if not domain:
        return None
    return (
        OrganisationEmailDomain.objects.select_related("organisation").filter(domain=domain).first()
    )


def organisation_domains(organisation: Organisation) -> QuerySet[OrganisationEmailDomain]:
    """The email domains linked to ``organisation``."""
    return OrganisationEmailDomain.objects.filter(organisation=organisation).order_by("domain")


def domain_claims_pending(organisation: Organisation) -> QuerySet[DomainClaim]:
    """Confirmation links sent for ``organisation`` and not yet used, newest first."""
    return DomainClaim.objects.filter(
        organisation=organisation,
        confirmed_at=None,
        withdrawn_at=None,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def provider_for_email(email: str) -> str | None:
    """The id of the provider people at this address's domain sign in with, if any."""
    found = email_domain_for(email)
    if found is None or not found.organisation.signin_provider:
        return None
    return found.organisation.signin_provider


def provider_vouches_for(provider_id: str, email: str) -> bool:
    """A provider is trusted for the addresses at domains an organisation linked to it."""
    domain = domain_of(email)
    return bool(domain) and (
        OrganisationEmailDomain.objects.filter(
            domain=domain, organisation__signin_provider=provider_id
        ).exists()
    )


def provider_signin_required(email: str) -> bool:
    """True if this address's domain must sign in with its work account only."""
    domain = domain_of(email)
    return bool(domain) and (
        OrganisationEmailDomain.objects.filter(domain=domain, require_provider=True)
        .exclude(organisation__signin_provider="")
        .exists()
    )


SIGNIN_PASSWORD = "password"  # noqa: S105 (a way of signing in, not a secret)
SIGNIN_WORK_ACCOUNT = "work_account"
SIGNIN_PASSKEY = "passkey"
SIGNIN_LABELS = {
    SIGNIN_PASSWORD: _("Password"),
    SIGNIN_WORK_ACCOUNT: _("Work account"),
    SIGNIN_PASSKEY: _("Passkey"),
}


def signin_methods_for(users: Iterable) -> dict[int, tuple[str, ...]]:
    """How each person can sign in: password, work account, passkey. Two queries however many
    people (the password is read from the user rows already loaded)."""
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    users = list(users)
    ids = [u.pk for u in users]
    work = set(SocialAccount.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    passkey = set(
        Authenticator.objects.filter(user_id__in=ids, type=Authenticator.Type.WEBAUTHN).values_list(
            "user_id", flat=True
        )
    )
    methods: dict[int, tuple[str, ...]] = {}
    for user in users:
        found = []
        if user.has_usable_password():
            found.append(SIGNIN_PASSWORD)
        if user.pk in work:
            found.append(SIGNIN_WORK_ACCOUNT)
        if user.pk in passkey:
            found.append(SIGNIN_PASSKEY)
        methods[user.pk] = tuple(found)
    return methods
