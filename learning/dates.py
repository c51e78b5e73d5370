"""The NHS date input: a date asked for as three boxes (day, month, year), not a browser date
picker, following the NHS digital service manual. ``DatePartsField`` reads the three boxes (or a
single ``YYYY-MM-DD`` value, as scripts and older forms send) and says in a whole sentence which
part is missing or wrong; ``templates/includes/date_input.html`` renders it."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

PARTS = ("day", "month", "year")


def date_parts_value(data, name: str) -> str:
    """The posted date as ``"Y-M-D"`` (or whatever single value was posted under ``name``)."""
    if data.get(name):
        return str(data.get(name)).strip()
    parts = [str(data.get(f"{name}_{p}", "") or "").strip() for p in PARTS]
    if not any(parts):
        return ""
    day, month, year = parts
    return f"{year}-{month}-{day}"


def split_date(value) -> dict[str, str]:
    """``date`` or ``"Y-M-D"`` → ``{"day": …, "month": …, "year": …}`` for the three boxes."""
    if isinstance(value, datetime.date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if isinstance(value, str) and value.count("-") == 2:
        year, month, day = value.split("-")
        return {"day": day, "month": month, "year": year}
    return {"day": "", "month": "", "year": ""}


class DatePartsWidget(forms.Widget):
    template_name = ""  # rendered by templates/includes/date_input.html

    def value_from_datadict(self, data, files, name):
        return date_parts_value(data, name)

    def id_for_label(self, id_):
        """Labels and error-summary links land on the day box."""
        return f"{id_}_day" if id_ else id_

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}_{p}" in data for p in PARTS)


class DatePartsField(forms.Field):
    widget = DatePartsWidget

    def __init__(self, *, label_text: str = "", not_future: bool = False, **kwargs):
        self.label_text = label_text or str(kwargs.get("label", _("Date")))
        self.not_future = not_future
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        pieces = str(value).split("-")
        if len(pieces) != 3:
            raise ValidationError(
                _("%(label)s must be a real date.") % {"label": self.label_text}, code="invalid"
            )
        year, month, day = (p.strip() for p in pieces)
        missing = [
            str(label)
            for label, part in ((_("day"), day), (_("month"), month), (_("year"), year))
            if not part
        ]
        if missing:
            raise ValidationError(
                _("%(label)s must include a %(parts)s.")
                % {"label": self.label_text, "parts": _(" and a ").join(missing)},
                code="incomplete",
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(
                _("%(label)s must be a real date, for example 15 3 2026.")
                % {"label": self.label_text},
                code="invalid",
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                _("%(label)s must be a real date, for example 15 3 2026.")
                % {"label": self.label_text},
                code="invalid",
            ) from None

    def validate(self, value):
        super().validate(value)
        if value and self.not_future and value > timezone.localdate():
            raise ValidationError(
                _("%(label)s must be today or in the past.") % {"label": self.label_text},
                code="future",
            )


# --- Showing dates: one format across the site (the NHS style) --------------------------------
# "2 December 2026", and "2 December 2026 at 2:47pm" (or "at 9am" on the hour) for a moment in
# time, in the site's time zone. Templates use the ``nhs_date`` and ``nhs_datetime`` filters
# (learning/templatetags/hope_dates.py, a built-in library); Python code calls these.


def nhs_date(value) -> str:
    """``date`` or ``datetime`` → "2 December 2026"; nothing → ""."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def nhs_time(value: datetime.datetime, *, seconds: bool = False) -> str:
    """ "2:47pm", "9am", "12pm" (midday), "12am" (midnight); with ``seconds``, "2:47:05pm"."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    suffix = pgettext("time of day", "am") if value.hour < 12 else pgettext("time of day", "pm")
    if seconds:
        return f"{hour}:{value.minute:02d}:{value.second:02d}{suffix}"
    if value.minute == 0:
        return f"{hour}{suffix}"
    return f"{hour}:{value.minute:02d}{suffix}"


def nhs_datetime(value, *, seconds: bool = False, weekday: bool = False) -> str:
    """``datetime`` → "2 December 2026 at 2:47pm" (``weekday``: "Wednesday 2 December 2026 at
    2:47pm"); a plain ``date`` → "2 December 2026"."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return nhs_date(value)
    # A list page shows the same few moments many times over (a thread's replies, a log's
    # rows): each is worked out once per language and time zone.
    return _nhs_datetime_in(
        value, seconds, weekday, get_language(), timezone.get_current_timezone_name()
    )


@lru_cache(maxsize=4096)
def _nhs_datetime_in(
    value: datetime.datetime, seconds: bool, weekday: bool, language: str | None, zone: str
) -> str:
    """``nhs_datetime`` for one language and time zone (both part of the memo's key, so a
    Welsh page never gets an English date)."""
    day = nhs_date(value)
    if weekday:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        day = f"{_WEEKDAYS[local.weekday()]} {day}"
    return str(_("%(date)s at %(time)s")) % {"date": day, "time": nhs_time(value, seconds=seconds)}


# Month and weekday names from Django's own translated lists, so a Welsh page reads
# "2 Rhagfyr 2026" and an English one "2 December 2026".
_MONTHS = tuple(MONTHS[n] for n in range(1, 13))
_WEEKDAYS = tuple(WEEKDAYS[n] for n in range(7))
