"""The journal entry form: the fixed fields, one field per section of the chosen reflective
model, and the identifier confirmation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField
from reflection.journal.catalogue import ReflectiveModel, Section, sections_for

# Long enough for any reflection; the character count under each box shows what is left.
SECTION_MAX = 10_000
SUMMARY_MAX = 4_000
TOO_LONG = {"max_length": _("This must be %(limit_value)s characters or fewer.")}


class ChooseModelForm(forms.Form):
    model = forms.ChoiceField(
        label=_("How would you like to reflect?"),
        choices=ReflectiveModel.choices,
        widget=forms.RadioSelect,
        initial=ReflectiveModel.GIBBS,
    )


class JournalEntryForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words to help you find this again. Do not use anyone's name."),
        error_messages={"required": _("Enter a title for this reflection.")},
    )
    experienced_on = DatePartsField(
        label=_("Date of the experience"),
        label_text=_("The date of the experience"),
        not_future=True,
        error_messages={"required": _("Enter the date of the experience.")},
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=300,
        help_text=_("Separate tags with commas, for example: court, supervision, grief."),
    )
    summary = forms.CharField(
        label=_("Learning summary (optional)"),
        required=False,
        widget=forms.Textarea,
        max_length=SUMMARY_MAX,
        error_messages=TOO_LONG,
        help_text=_(
            "What you learned and what you will do differently. This is the only part of a "
            "reflection you could ever share with a supervisor."
        ),
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )
    # Set once the writer has been shown the safeguarding prompt, so saving again saves.
    safeguarding_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, model: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = model
        self.sections: tuple[Section, ...] = sections_for(model)
        for section in self.sections:
            self.fields[f"section-{section.key}"] = forms.CharField(
                label=section.label,
                help_text=section.prompt,
                required=False,
                widget=forms.Textarea,
                max_length=SECTION_MAX,
                error_messages=TOO_LONG,
            )

    def section_fields(self):
        return [self[f"section-{s.key}"] for s in self.sections]

    def section_values(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(f"section-{s.key}", "") for s in self.sections}
