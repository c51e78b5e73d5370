"""django-allauth behaviour for Holding Hope: the sign-up domain allow-list and invitations."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

INVITATION_SESSION_KEY = "hope_invitation_token"
INVITED_EMAIL_SESSION_KEY = "hope_invited_email"


def email_domain_allowed(email: str) -> bool:
    allowed = [d.lower().lstrip("@") for d in settings.HOPE_SIGNUP_ALLOWED_DOMAINS]
    if not allowed:
        return True
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == d or domain.endswith("." + d) for d in allowed)


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        request = getattr(self, "request", None)
        invited = request is not None and request.session.get(INVITED_EMAIL_SESSION_KEY) == email
        if not invited and not email_domain_allowed(email):
            raise forms.ValidationError(
                _(
                    "Sign-up is open to staff email addresses from partner organisations only. "
                    "Use your work email address, or ask your organisation admin to invite you."
                )
            )
        return email

    def get_login_redirect_url(self, request) -> str:
        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            return reverse("invitation_accept", kwargs={"token": token})
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            return reverse("invitation_accept", kwargs={"token": token})
        return super().get_signup_redirect_url(request)

    def populate_username(self, request, user) -> None:
        """There is no username: email is the sign-in."""


# --- two-factor secrets at rest ----------------------------------------------------------------
# allauth keeps each authenticator app's TOTP secret and the seed of the recovery codes in the
# database. They are encrypted with the same keys as reflective text, so a database dump or an
# admin screen never holds a secret that would let someone pass a person's second factor.

ENCRYPTED_PREFIX = "fernet:"


def encrypt_secret(text: str) -> str:
    from learning.encryption import encrypt_text

    return ENCRYPTED_PREFIX + encrypt_text(text)


def decrypt_secret(stored: str) -> str:
    from learning.encryption import decrypt_text

    if stored.startswith(ENCRYPTED_PREFIX):
        return decrypt_text(stored[len(ENCRYPTED_PREFIX) :])
    return stored  # written before encryption; the migration encrypts these


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)


def reencrypt_two_factor_secrets() -> int:
    """Re-encrypt every stored two-factor secret with the newest key (for key rotation).
    Returns how many authenticators were rewritten."""
    from allauth.mfa.models import Authenticator
    from django.db import transaction

    count = 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
            data = dict(authenticator.data or {})
            for key in ("secret", "seed"):
                if isinstance(data.get(key), str) and data[key]:
                    data[key] = encrypt_secret(decrypt_secret(data[key]))
            if isinstance(data.get("migrated_codes"), list):
                data["migrated_codes"] = [
                    encrypt_secret(decrypt_secret(code)) for code in data["migrated_codes"]
                ]
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            count += 1
    return count
