"""The date-range filter of every report page (a GET form, NHS date inputs)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField
from learning.reports.periods import NationalPeriod, allowed_periods
from learning.reports.registry import Period

DEFAULT_DAYS = 365
# Dates outside these are refused (a year like 9999 would overflow the day after the end).
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


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
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not (EARLIEST <= value <= LATEST):
                self.add_error(
                    name,
                    _("%(label)s must be between 1 January 2000 and 31 December 2099.")
                    % {"label": self.fields[name].label_text},
                )
                data[name] = None
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The end date must be the same as or after the start date.")
            )
        return data

    def dates(self) -> Period:
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


class NationalReportForm(forms.Form):
    """National figures are given for a whole month or quarter, chosen from a list: two periods
    a day apart cannot be asked for. A day range (``date_from``/``date_to``) is refused unless
    it is exactly one of the periods on the list."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    group_by = forms.ChoiceField(
        label=_("Group services by"),
        choices=[("kind", _("Kind of service")), ("region", _("Region"))],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed_periods()
        quarters = [(p.value, p.label) for p in self.allowed if p.is_quarter]
        months = [(p.value, p.label) for p in self.allowed if not p.is_quarter]
        self.fields["period"].choices = [(_("Quarters"), quarters), (_("Months"), months)]

    def clean(self):
        data = super().clean()
        day_range = [
            key for key in self.data if key.startswith(("date_from", "date_to")) and self.data[key]
        ]
        if day_range and not data.get("period") and "period" not in self.errors:
            start = _iso_date(self.data.get("date_from"))
            end = _iso_date(self.data.get("date_to"))
            period = next(
                (p for p in self.allowed if (p.date_from, p.date_to) == (start, end)), None
            )
            if period is None:
                raise forms.ValidationError(
                    _(
                        "National figures are only given for a whole month or quarter. Choose one "
                        "from the list."
                    ),
                    code="day_range",
                )
            data["period"] = period.value
        return data

    def chosen(self) -> NationalPeriod:
        """The chosen period (the most recent quarter for anything left empty or wrong)."""
        data = self.cleaned_data if self.is_valid() else {}
        return next(
            (p for p in self.allowed if p.value == data.get("period")),
            self.allowed[0],
        )

    def dates(self) -> Period:
        chosen = self.chosen()
        return Period(date_from=chosen.date_from, date_to=chosen.date_to)

    def group_by_value(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("group_by") or "kind"


def _iso_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        return None
