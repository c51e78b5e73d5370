from __future__ import annotations

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
    database, which then fails; both gave server errors."""
    text = str(value or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_ID else None


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
