"""The facilitator's upload form for a space's library. The service checks the file and the
text again (``community.resources.services``); the form only reads what was sent."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from community.resources.services import DESCRIPTION_MAX, TITLE_MAX


class ResourceUploadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("What members will see as the link, for example 'Separation plan template'."),
        error_messages={
            "required": _("Enter a title for the document"),
            "max_length": _("The title must be %(limit_value)d characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=DESCRIPTION_MAX,
        required=False,
        help_text=_("A sentence on what the document is for."),
        error_messages={
            "max_length": _("The description must be %(limit_value)d characters or fewer"),
        },
    )
    file = forms.FileField(
        label=_("File"),
        error_messages={
            "required": _("Choose a file to upload"),
            "empty": _("The file you chose is empty"),
        },
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, Word, OpenDocument, PowerPoint, Excel, text or CSV file, smaller than "
            "%(limit)s MB. Do not upload anything that could identify a woman, a baby or a "
            "family."
        ) % {"limit": settings.HOPE_MAX_DOCUMENT_MB}
