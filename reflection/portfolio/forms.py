"""Forms for the revalidation portfolio. They read input only: the service checks and cleans
the text, the file and the hours."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField
from reflection.portfolio.models import CodeTheme, CpdKind

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ExternalCpdForm(forms.Form):
    done_on = DatePartsField(
        label=_("Date of the learning"),
        label_text=_("The date of the learning"),
        error_messages={"required": _("Enter the date of the learning")},
        not_future=True,
    )
    title = forms.CharField(
        label=_("Title"),
        help_text=_("For example, the name of the course, conference or article."),
        max_length=200,
        error_messages={"required": _("Enter a title for the learning")},
    )
    kind = forms.ChoiceField(
        label=_("Type of learning"),
        choices=CpdKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the type of learning")},
    )
    hours = forms.DecimalField(
        label=_("Number of hours"),
        help_text=_("In hours, for example 1.5 for an hour and a half."),
        min_value=Decimal("0.25"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": _("Enter the number of hours"),
            "invalid": _("Enter the number of hours as a number, like 1.5"),
            "min_value": _("Enter at least 0.25 hours"),
            "max_value": _("Enter 100 hours or fewer"),
        },
    )
    participatory = forms.ChoiceField(
        label=_("Was this participatory learning?"),
        help_text=_(
            "Participatory learning is learning with other people, in person or online, for "
            "example a workshop, a conference or a group discussion."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if this was participatory learning")},
    )
    learnt = forms.CharField(
        label=_("What did you learn?"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Enter what you learnt")},
    )
    practice_change = forms.CharField(
        label=_("How did it change or improve your practice?"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Enter how it changed your practice")},
    )
    themes = forms.MultipleChoiceField(
        label=_("Link to the Code or standards (optional)"),
        help_text=_("Select all that apply."),
        choices=CodeTheme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        help_text=_(
            "A certificate or notes, as a PDF, JPG or PNG. Only you can open it unless you "
            "choose to share it."
        ),
        required=False,
    )
    remove_evidence = forms.BooleanField(label=_("Remove the evidence file"), required=False)
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "done_on": d["done_on"],
            "title": d["title"],
            "kind": d["kind"],
            "minutes": int((d["hours"] * 60).to_integral_value()),
            "participatory": d["participatory"] == "yes",
            "learnt": d["learnt"],
            "practice_change": d["practice_change"],
            "themes": list(d["themes"]),
            "evidence": d.get("evidence") or None,
            "confirm_identifiers": d["confirm_identifiers"],
        }
