"""Forms for supervision. They parse input only; services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField
from reflection.supervision.models import SupervisionRelationship, SupervisionSession
from reflection.supervision.sessions import FUNCTIONS, ActionInput, SessionInput

ACTION_ROWS = 3
DEFAULT_CONFIDENTIALITY = _(
    "What we discuss stays between us, except where there is a risk of harm to a woman, a baby, "
    "a family, a colleague or yourself, or a concern about practice that must be raised. We "
    "will talk about it first wherever we can."
)
DEFAULT_RECORDING = _(
    "We record the date, length, format, functions and themes of each session, a short summary "
    "that does not identify anyone, and agreed actions. Both of us see the record and confirm "
    "it. Organisation admins see only dates, lengths and types, never what we discussed."
)
DEFAULT_ESCALATION = _(
    "If either of us has a concern we cannot resolve in supervision, we raise it with the line "
    "manager or the organisation's safeguarding lead, and tell each other that we have."
)


class ProposeForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Your role in this relationship"),
        choices=[("supervisee", _("I will be supervised")), ("supervisor", _("I will supervise"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you will supervise or be supervised.")},
    )
    other_email = forms.CharField(
        label=_("The other person's email address"),
        max_length=254,
        help_text=_("They must have signed up to Holding Hope. They can be in any organisation."),
        error_messages={"required": _("Enter the other person's email address.")},
    )
    kind = forms.ChoiceField(
        label=_("Type of supervision"),
        choices=SupervisionRelationship.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of supervision.")},
    )
    frequency_min_weeks = forms.IntegerField(
        label=_("Meet at least every (weeks)"),
        initial=4,
        error_messages={"required": _("Enter how often you will meet, in weeks.")},
    )
    frequency_max_weeks = forms.IntegerField(
        label=_("and no more than (weeks) apart"),
        initial=6,
        error_messages={"required": _("Enter the longest gap between sessions, in weeks.")},
    )
    started_on = DatePartsField(
        label=_("Start date"),
        label_text=_("The start date"),
        error_messages={"required": _("Enter the date supervision starts.")},
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality and its limits"),
        widget=forms.Textarea,
        initial=DEFAULT_CONFIDENTIALITY,
        required=False,
    )
    recording = forms.CharField(
        label=_("What is recorded and who sees it"),
        widget=forms.Textarea,
        initial=DEFAULT_RECORDING,
        required=False,
    )
    escalation = forms.CharField(
        label=_("How concerns are escalated"),
        widget=forms.Textarea,
        initial=DEFAULT_ESCALATION,
        required=False,
    )


class SessionForm(forms.Form):
    held_on = DatePartsField(
        label=_("Date of the session"),
        label_text=_("The date of the session"),
        error_messages={"required": _("Enter the date of the session.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        error_messages={"required": _("Enter the length of the session in minutes.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SupervisionSession.Format.choices,
        widget=forms.RadioSelect,
        initial=SupervisionSession.Format.ONE_TO_ONE,
        error_messages={"required": _("Choose the format of the session.")},
    )
    attendance_only = forms.BooleanField(
        label=_("Log attendance only, with no summary or actions"),
        required=False,
        help_text=_("For a reflective practice group or a Schwartz Round."),
    )
    attendees = forms.CharField(
        label=_("Other members who attended (optional)"),
        required=False,
        max_length=2000,
        help_text=_("For group sessions: their email addresses, separated by commas."),
    )
    external_attendees = forms.IntegerField(
        label=_("People from outside Holding Hope who attended"), required=False, initial=0
    )
    functions = forms.MultipleChoiceField(
        label=_("Supervision functions covered"),
        choices=[
            ("normative", _("Normative: standards, policy and accountability")),
            ("formative", _("Formative: learning and developing skills")),
            ("restorative", _("Restorative: support and wellbeing")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.TypedMultipleChoiceField(
        label=_("Themes (optional)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Discussion summary"),
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        error_messages={
            "max_length": _("The summary must be %(limit_value)s characters or fewer.")
        },
        help_text=_("A short summary both of you agree. Do not identify a woman, baby or family."),
    )
    next_on = DatePartsField(
        label=_("Next session (optional)"),
        label_text=_("The date of the next session"),
        required=False,
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )

    # Set once the writer has been shown the safeguarding prompt, so saving again saves.
    safeguarding_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(t.pk, t.shown_name) for t in themes]
        owners = [("supervisee", _("Supervisee")), ("supervisor", _("Supervisor"))]
        for i in range(ACTION_ROWS):
            self.fields[f"action-{i}-text"] = forms.CharField(
                label=_("Action %(n)s") % {"n": i + 1}, required=False, max_length=1000
            )
            self.fields[f"action-{i}-owner"] = forms.ChoiceField(
                label=_("Who will do it"),
                choices=owners,
                initial="supervisee",
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"action-{i}-due"] = DatePartsField(
                label=_("Due date (optional)"),
                label_text=_("The due date of action %(n)s") % {"n": i + 1},
                required=False,
            )

    def action_rows(self):
        return [
            (self[f"action-{i}-text"], self[f"action-{i}-owner"], self[f"action-{i}-due"])
            for i in range(ACTION_ROWS)
        ]

    def to_input(self) -> SessionInput:
        d = self.cleaned_data
        emails = tuple(e for e in (d.get("attendees") or "").replace(";", ",").split(","))
        return SessionInput(
            held_on=d["held_on"],
            duration_minutes=d["duration_minutes"],
            format=d["format"],
            attendance_only=d.get("attendance_only", False),
            attendee_emails=tuple(e.strip() for e in emails if e.strip()),
            external_attendees=d.get("external_attendees") or 0,
            functions=frozenset(f for f in d.get("functions", []) if f in FUNCTIONS),
            theme_ids=tuple(d.get("themes") or ()),
            summary=d.get("summary", ""),
            next_on=d.get("next_on"),
            actions=tuple(
                ActionInput(
                    text=d.get(f"action-{i}-text", ""),
                    owner=d.get(f"action-{i}-owner") or "supervisee",
                    due_on=d.get(f"action-{i}-due"),
                )
                for i in range(ACTION_ROWS)
                if (d.get(f"action-{i}-text") or "").strip()
            ),
        )


class ConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Is this record right?"),
        choices=[("confirm", _("Yes, confirm it")), ("change", _("No, ask for a change"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to confirm the record or ask for a change.")},
    )
    comment = forms.CharField(
        label=_("What should be changed"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Only needed if you ask for a change."),
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class CheckInForm(forms.Form):
    workload = forms.TypedChoiceField(
        label=_("How manageable is your workload? (1 is not at all, 5 is very)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5 for your workload.")},
    )
    emotional_impact = forms.TypedChoiceField(
        label=_("How are you coping with the emotional impact of your work?"),
        help_text=_("1 is struggling, 5 is coping well."),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5 for the emotional impact.")},
    )
    support = forms.TypedChoiceField(
        label=_("How supported do you feel? (1 is not at all, 5 is very)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5 for how supported you feel.")},
    )
    notes = forms.CharField(
        label=_("Anything else you want to note (optional)"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )
    share = forms.BooleanField(
        label=_("Share this check-in with my supervisor for this session"),
        required=False,
        help_text=_("If you leave this unticked, only you can see it."),
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        widget=forms.Textarea,
        max_length=2000,
        help_text=_("A correction or addition. The confirmed record itself does not change."),
        error_messages={"required": _("Write the addendum.")},
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF")), ("csv", _("CSV spreadsheet"))],
        widget=forms.RadioSelect,
        initial="pdf",
    )
    summaries = forms.BooleanField(
        label=_("Include discussion summaries"),
        required=False,
        help_text=_("Dates, types, lengths, functions and themes are always included."),
    )
