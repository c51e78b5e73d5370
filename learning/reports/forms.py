"""The period filter of every report page (a GET form): a whole month or quarter that has
ended, chosen from a list, for the organisation report and the national one alike. Two periods
a day apart cannot be asked for, so one figure cannot be taken from another to give a few
people's own figures."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from learning.cache import local_memo
from learning.reports.periods import NationalPeriod, allowed_periods
from learning.reports.registry import Period


class ReportPeriodForm(forms.Form):
    """A day range (``date_from``/``date_to``, or the day, month and year boxes of one) is
    refused unless it is exactly one of the periods on the list."""

    # Checked against the list in ``clean_period``; the page writes the list's options itself
    # (``period_groups``), so no choice field re-reads a hundred options on every request.
    period = forms.CharField(label=_("Period"), required=False)
    group_by = forms.ChoiceField(
        label=_("Group services by"),
        choices=[("kind", _("Kind of service")), ("region", _("Region"))],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # The periods (frozen, so shared safely) depend only on the day, and the list's labels
        # (a hundred dates written out) on the day and the language: each made once per
        # process, not on every report page.
        self.allowed = local_memo("report_periods", today, lambda: tuple(allowed_periods(today)))
        self.period_groups = local_memo(
            "report_period_choices",
            (translation.get_language(), today),
            lambda: [
                (_("Quarters"), [(p.value, p.label) for p in self.allowed if p.is_quarter]),
                (_("Months"), [(p.value, p.label) for p in self.allowed if not p.is_quarter]),
            ],
        )

    def clean_period(self) -> str:
        value = self.cleaned_data.get("period") or ""
        if value and not any(p.value == value for p in self.allowed):
            raise forms.ValidationError(
                _("Choose a month or quarter from the list."), code="invalid_choice"
            )
        return value

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
                        "Figures are only given for a whole month or quarter. Choose one from "
                        "the list."
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
