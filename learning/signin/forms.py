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
