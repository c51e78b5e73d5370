from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
    """The "Your details" page. More about a person's work is added here as fields."""

    display_name = NameField()


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
