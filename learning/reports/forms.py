"""The date-range filter of every report page (a GET form, NHS date inputs)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField
from learning.reports.registry import Period

DEFAULT_DAYS = 365


def default_period(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(date_from=today - timedelta(days=DEFAULT_DAYS), date_to=today)


class ReportFilterForm(forms.Form):
    date_from = DatePartsField(label=_("From"), label_text=_("The start date"), required=False)
    date_to = DatePartsField(label=_("To"), label_text=_("The end date"), required=False)
    group_by = forms.ChoiceField(
        label=_("Group services by"),
        choices=[("kind", _("Kind of service")), ("region", _("Region"))],
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The end date must be the same as or after the start date.")
            )
        return data

    def period(self) -> Period:
        """The chosen period (the default one for anything left empty or wrong)."""
        default = default_period()
        data = self.cleaned_data if self.is_valid() else {}
        return Period(
            date_from=data.get("date_from") or default.date_from,
            date_to=data.get("date_to") or default.date_to,
        )

    def group_by_value(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("group_by") or "kind"
