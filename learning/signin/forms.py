"""Forms for signing in: the work email step, and allauth's password forms refusing domains
that must use their work account."""

from __future__ import annotations

from allauth.account.forms import LoginForm, ResetPasswordForm
from django import forms
from django.utils.translation import gettext_lazy as _

from learning.signin.selectors import provider_signin_required


def _work_account_only():
    from learning.adapters import WORK_ACCOUNT_ONLY_MESSAGE

    return forms.ValidationError(WORK_ACCOUNT_ONLY_MESSAGE, code="work_account_only")


class HopeLoginForm(LoginForm):
    def clean(self):
        login = (self.cleaned_data.get("login") or "").strip()
        if login and provider_signin_required(login):
            raise _work_account_only()
        return super().clean()


class HopeResetPasswordForm(ResetPasswordForm):
    def clean_email(self):
        email = (self.data.get("email") or "").strip()
        if email and provider_signin_required(email):
            raise _work_account_only()
        return super().clean_email()


class WorkEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Work email address"),
        help_text=_("We will send you to your organisation's sign-in page."),
        error_messages={
            "required": _("Enter your work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.nhs.uk"),
        },
    )


class DomainClaimForm(forms.Form):
    domain = forms.CharField(
        label=_("Email domain"),
        help_text=_(
            "The part of your organisation's email addresses after the @, like trust.nhs.uk"
        ),
        max_length=253,
        error_messages={"required": _("Enter an email domain, like trust.nhs.uk")},
    )
    email = forms.EmailField(
        label=_("Address at that domain to send the link to"),
        help_text=_(
            "Use an address you can read, such as your own work address. We send a link there; "
            "open it while signed in here to link the domain."
        ),
        error_messages={
            "required": _("Enter an email address at that domain"),
            "invalid": _("Enter an email address in the correct format, like name@trust.nhs.uk"),
        },
    )
