"""Forms for sharing a summary and for a supervisor's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.forms import IdChoiceField
from reflection.signoff.services import COMMENT_MAX, NOTE_MAX


class ShareForm(forms.Form):
    supervisor = IdChoiceField(
        label=_("Supervisor"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the supervisor to share the summary with."),
            "invalid_choice": _("Choose one of your supervisors from the list."),
        },
    )
    note = forms.CharField(
        label=_("Note to your supervisor (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea,
        help_text=_("For example, what you would like to talk about. Do not use anyone's name."),
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = lambda u: str(u)


class DecisionForm(forms.Form):
    ACTIONS = (
        ("sign", _("Sign off")),
        ("return", _("Return with a comment")),
        ("reopen", _("Reopen")),
    )
    action = forms.ChoiceField(choices=ACTIONS)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=COMMENT_MAX, widget=forms.Textarea
    )
