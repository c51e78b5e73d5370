"""django-allauth behaviour for Holding Hope: the sign-up domain allow-list and invitations."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
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
