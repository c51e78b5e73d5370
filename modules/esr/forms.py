"""The ESR export form: an optional period of completion dates, each end in the NHS three-box
date input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.dates import DatePartsField


class EsrExportForm(forms.Form):
    date_from = DatePartsField(
        label=_("Completed on or after"),
        required=False,
        not_future=True,
        help_text=_("Optional. For example, 1 4 2026"),
    )
    date_to = DatePartsField(
        label=_("Completed on or before"),
        required=False,
        help_text=_("Optional. For example, 31 3 2027"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("Completed on or before must be the same as or after completed on or after."),
            )
        return data
