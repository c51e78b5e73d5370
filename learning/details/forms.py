from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField
from learning.models import ProfessionalRegister, ProfessionalRole

NAME_MAX_LENGTH = 150


class NameField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Full name"))
        kwargs.setdefault(
            "help_text",
            _(
                "The name you use at work. It is shown on your certificates and to people you "
                "learn and reflect with. It is not shown with your private journal."
            ),
        )
        kwargs.setdefault("max_length", NAME_MAX_LENGTH)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter your full name"),
                "max_length": _("Your name must be %(limit_value)d characters or fewer"),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "name", "spellcheck": "false"})


class DetailsForm(forms.Form):
    """The "Your details" page when someone is asked for their name after signing in."""

    display_name = NameField()


class ProfessionalDetailsForm(DetailsForm):
    """The whole "Your details" page: the name, then the person's work and registration. The
    register's number format is checked by the service (learning.details.registers)."""

    professional_role = forms.ChoiceField(
        label=_("Professional role"),
        choices=[("", _("Choose your role")), *ProfessionalRole.choices],
        required=False,
    )
    professional_register = forms.ChoiceField(
        label=_("Which professional register are you on?"),
        choices=[("", _("Not given")), *ProfessionalRegister.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        help_text=_(
            "For example, an NMC PIN like 12A3456E, a Social Work England number like SW123456, "
            "an HCPC number like PA12345 or a 7-digit GMC number."
        ),
        max_length=24,
        required=False,
    )
    registration_renewal_on = DatePartsField(
        label=_("Revalidation or renewal date"),
        label_text=_("Revalidation or renewal date"),
        help_text=_(
            "When your registration is next due for revalidation or renewal. For example, 31 3 2027"
        ),
        required=False,
    )
    employee_number = forms.CharField(
        label=_("Employee number (optional)"),
        help_text=_("Your employer's number for you, for example in the Electronic Staff Record."),
        max_length=30,
        required=False,
    )
    registration_number_shown = forms.BooleanField(
        label=_("Show my registration number on certificates and exports"),
        help_text=_("If you leave this unticked, your number is kept on your account only."),
        required=False,
    )


class SignupNameForm(forms.Form):
    """allauth's sign-up form class: a name before the email address and password."""

    display_name = NameField()
    # allauth orders the sign-up form by this list: the name first.
    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        """allauth calls this once the account exists. The password sign-up has already saved
        the name (``AccountAdapter.save_user``); a work-account sign-up that had to ask for
        details saves it here."""
        from learning.details.services import details_name_set

        name = self.cleaned_data.get("display_name") or ""
        if name.strip() and " ".join(name.split()) != user.display_name:
            details_name_set(user=user, display_name=name, at_signup=True)
