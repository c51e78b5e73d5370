from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from learning.models import Role

# The largest id a database integer column holds (PostgreSQL bigint, SQLite integer).
MAX_ID = 2**63 - 1


def id_from(value: object) -> int | None:
    """An id typed into a URL or form, or ``None``. ``str.isdigit`` is not enough: it accepts
    digits from other scripts ("²", "١") that ``int`` refuses, and numbers too large for the
    database, which then fails; either would be a server error."""
    text = str(value or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose value must be a real id before the database is asked: Django's own
    field passes any digits to the query, and a number too large for the column fails there."""

    def to_python(self, value):
        if value not in self.empty_values and id_from(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same for several choices."""

    def _check_values(self, value):
        for item in value:
            if id_from(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


_SEARCH_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str, *, limit: int = 200) -> str:
    """The words of a search box, without characters a search engine reads as syntax (quotes,
    brackets, operators): full-text backends fail on an unmatched quote."""
    return " ".join(_SEARCH_WORD.findall(text[:limit]))


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


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form with a size limit (``HOPE_MAX_DOCUMENT_MB``): Wagtail has one for
    images but none for documents."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.HOPE_MAX_DOCUMENT_MB
        if upload is not None and getattr(upload, "size", 0) > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is too big. Choose a file smaller than %(limit)s MB.")
                % {"limit": limit}
            )
        return upload
