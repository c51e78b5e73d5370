"""The form for sharing a portfolio. It reads input only: the service checks it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.dates import nhs_date
from learning.forms import IdMultipleChoiceField
from learning.models import User
from reflection.shares.models import SHARE_DAYS_DEFAULT, SHARE_DAYS_MAX
from reflection.shares.selectors import accounts_choosable, evidence_choosable

PARTS = [
    ("cpd", _("Your CPD record")),
    ("feedback", _("Your practice-related feedback")),
    ("supervision", _("Your supervision log: dates, types, functions and themes, never summaries")),
]


class AccountChoice(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        title = obj.entry.title if obj.entry_id else _("A reflection you have since deleted")
        return _("%(title)s, signed off on %(date)s") % {
            "title": title,
            "date": nhs_date(obj.decided_at),
        }


class EvidenceChoice(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("%(title)s: %(file)s") % {"title": obj.title, "file": obj.evidence_name}


class ShareForm(forms.Form):
    parts = forms.MultipleChoiceField(
        label=_("What to share"),
        choices=PARTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accounts = AccountChoice(
        label=_("Written reflective accounts"),
        help_text=_(
            "Each is made from the learning summary your supervisor signed off, never from "
            "the rest of your journal."
        ),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = EvidenceChoice(
        label=_("Evidence files"),
        help_text=_("Only the files you tick can be downloaded through the link."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_name = forms.CharField(
        label=_("Who it is for (optional)"),
        help_text=_("Only you see this, in your list of shares."),
        max_length=100,
        required=False,
    )
    recipient_role = forms.CharField(
        label=_("Their role (optional)"),
        help_text=_("For example, appraiser or confirmer."),
        max_length=100,
        required=False,
    )
    days = forms.IntegerField(
        label=_("How many days the link works for"),
        help_text=_("From 1 to %(n)s days.") % {"n": SHARE_DAYS_MAX},
        min_value=1,
        max_value=SHARE_DAYS_MAX,
        initial=SHARE_DAYS_DEFAULT,
        error_messages={
            "required": _("Enter how many days the link works for"),
            "invalid": _("Enter the number of days as a number, like 14"),
            "min_value": _("Enter a number of days from 1 to %(n)s") % {"n": SHARE_DAYS_MAX},
            "max_value": _("Enter a number of days from 1 to %(n)s") % {"n": SHARE_DAYS_MAX},
        },
    )
    confirm_identifiers = forms.BooleanField(
        label=_("These are not identifying details"), required=False
    )

    def __init__(self, *args, owner: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Not sliced: a sliced queryset cannot check the ids posted back.
        self.fields["accounts"].queryset = accounts_choosable(owner)
        self.fields["evidence"].queryset = evidence_choosable(owner).only(
            "pk", "title", "evidence", "evidence_name"
        )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        parts = set(d["parts"])
        return {
            "include_cpd": "cpd" in parts,
            "include_feedback": "feedback" in parts,
            "include_supervision": "supervision" in parts,
            "accounts": list(d["accounts"]),
            "evidence": list(d["evidence"]),
            "recipient_name": d["recipient_name"],
            "recipient_role": d["recipient_role"],
            "days": d["days"],
            "confirm_identifiers": d["confirm_identifiers"],
        }
