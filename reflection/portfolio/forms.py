"""Forms for the revalidation portfolio. They read input only: the service checks and cleans
the text, the file and the hours."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField
from reflection.portfolio.models import CodeTheme, CpdKind, FeedbackSource

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
    peer_reflection = forms.ChoiceField(
        label=_("Did this include peer reflection?"),
        help_text=_(
            "Social Work England asks for peer reflection in at least one piece of CPD each "
            "registration year: what you learnt from discussing it with another professional."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    peer_name = forms.CharField(label=_("Name of the peer"), max_length=200, required=False)
    peer_role = forms.CharField(
        label=_("Their role"),
        help_text=_("For example, social worker in a children's disability team."),
        max_length=200,
        required=False,
    )
    peer_summary = forms.CharField(
        label=_("What was the peer reflection, and what did you learn from it?"),
        widget=forms.Textarea,
        max_length=2000,
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
    # A signed reference to the file chosen before the identifier check stopped the form, so
    # the person does not have to choose it again (``reflection.portfolio.held``).
    evidence_held = forms.CharField(widget=forms.HiddenInput, required=False)
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
            "peer_reflection": d.get("peer_reflection") == "yes",
            "peer_name": d.get("peer_name", ""),
            "peer_role": d.get("peer_role", ""),
            "peer_summary": d.get("peer_summary", ""),
            "evidence": d.get("evidence") or None,
            "confirm_identifiers": d["confirm_identifiers"],
        }


class FeedbackForm(forms.Form):
    received_on = DatePartsField(
        label=_("Date of the feedback"),
        label_text=_("The date of the feedback"),
        error_messages={"required": _("Enter the date of the feedback")},
        not_future=True,
    )
    source = forms.ChoiceField(
        label=_("Where did the feedback come from?"),
        choices=FeedbackSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select where the feedback came from")},
    )
    summary = forms.CharField(
        label=_("What was the feedback?"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Enter what the feedback was")},
    )
    learnt = forms.CharField(
        label=_("What did you learn from it, and how did you use it?"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Enter what you learnt from it")},
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )


class DeclarationForm(forms.Form):
    practice_hours = forms.IntegerField(
        label=_("Practice hours in the last 3 years"),
        help_text=_(
            "The NMC asks for 450 hours (900 if you are registered as a nurse and a midwife)."
        ),
        min_value=0,
        max_value=100000,
        required=False,
        error_messages={"invalid": _("Enter your practice hours as a whole number")},
    )
    reflective_discussion_on = DatePartsField(
        label=_("Date of your reflective discussion"),
        label_text=_("The date of your reflective discussion"),
        help_text=_("Leave blank if you have not had it yet. For example, 15 3 2026"),
        not_future=True,
        required=False,
    )
    health_character_on = DatePartsField(
        label=_("Date you made your health and character declaration"),
        label_text=_("The date of your health and character declaration"),
        help_text=_("Leave blank if you have not made it yet. For example, 15 3 2026"),
        not_future=True,
        required=False,
    )
    indemnity_on = DatePartsField(
        label=_("Date you checked your professional indemnity arrangement"),
        label_text=_("The date you checked your indemnity arrangement"),
        help_text=_("Leave blank if you have not checked it yet. For example, 15 3 2026"),
        not_future=True,
        required=False,
    )
    confirmation_on = DatePartsField(
        label=_("Date of your confirmation"),
        label_text=_("The date of your confirmation"),
        help_text=_("Leave blank if you have not been confirmed yet. For example, 15 3 2026"),
        not_future=True,
        required=False,
    )


class DiscussionForm(forms.Form):
    discussed_on = DatePartsField(
        label=_("Date of the discussion"),
        label_text=_("The date of the discussion"),
        help_text=_("For example, 15 3 2026"),
        error_messages={"required": _("Enter the date of the discussion")},
        not_future=True,
    )
    partner_name = forms.CharField(
        label=_("Name of the NMC registrant you had the discussion with"),
        max_length=200,
        error_messages={
            "required": _("Enter the name of the registrant you had the discussion with")
        },
    )
    summary = forms.CharField(
        label=_("Summary of the discussion"),
        help_text=_(
            "Which reflective accounts you discussed, what you talked about and what you took "
            "from it. Do not include details that could identify a woman, a baby or a family."
        ),
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": _("Enter a summary of the discussion")},
    )
    confirmer_email = forms.CharField(
        label=_("Their email address"),
        help_text=_(
            "The address they use to sign in to Holding Hope. We will ask them to confirm the "
            "discussion with their NMC PIN."
        ),
        max_length=254,
        error_messages={
            "required": _("Enter the email address your colleague uses to sign in to Holding Hope")
        },
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )


class DiscussionConfirmForm(forms.Form):
    registration_number = forms.CharField(
        label=_("Your NMC PIN"),
        help_text=_("2 numbers, a letter, 4 numbers and a letter, like 12A3456E."),
        max_length=20,
        error_messages={"required": _("Enter your NMC PIN")},
    )
