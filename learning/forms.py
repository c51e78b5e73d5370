from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Their work email address."),
        error_messages={
            "required": _("Enter the email address of the person you are inviting."),
            "invalid": _("Enter an email address in the right format, like name@nhs.net."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.PRACTITIONER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the role they will have.")},
    )
