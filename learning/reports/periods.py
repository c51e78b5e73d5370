"""The periods national figures may be asked for: whole calendar months and quarters that have
ended, from January 2020. Two periods can then never be a day apart, and a period's figures do
not change from one day to the next while it is still going on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2020
_VALUE = re.compile(r"^(\d{4})-(?:(\d{2})|Q([1-4]))$")


@dataclass(frozen=True)
class NationalPeriod:
    date_from: date
    date_to: date
    is_quarter: bool

    @property
    def value(self) -> str:
        if self.is_quarter:
            return f"{self.date_from.year}-Q{(self.date_from.month - 1) // 3 + 1}"
        return f"{self.date_from:%Y-%m}"

    @property
    def label(self) -> str:
        if self.is_quarter:
            return _("%(start)s to %(end)s") % {
                "start": date_format(self.date_from, "F"),
                "end": date_format(self.date_to, "F Y"),
            }
        return date_format(self.date_from, "F Y")


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def month_period(year: int, month: int) -> NationalPeriod:
    return NationalPeriod(date(year, month, 1), _month_end(year, month), is_quarter=False)


def quarter_period(year: int, quarter: int) -> NationalPeriod:
    first = 3 * (quarter - 1) + 1
    return NationalPeriod(date(year, first, 1), _month_end(year, first + 2), is_quarter=True)


def quarter_of(day: date) -> NationalPeriod:
    return quarter_period(day.year, (day.month - 1) // 3 + 1)


def months_of(quarter: NationalPeriod) -> list[NationalPeriod]:
    start = quarter.date_from
    return [month_period(start.year, start.month + i) for i in range(3)]


def allowed_periods(today: date | None = None) -> list[NationalPeriod]:
    """Every month and quarter that has ended, newest first (quarters before months)."""
    today = today or timezone.localdate()
    quarters, months = [], []
    for year in range(today.year, EARLIEST_YEAR - 1, -1):
        for quarter in range(4, 0, -1):
            period = quarter_period(year, quarter)
            if period.date_to < today:
                quarters.append(period)
        for month in range(12, 0, -1):
            period = month_period(year, month)
            if period.date_to < today:
                months.append(period)
    return quarters + months


def parse_period(value: str, today: date | None = None) -> NationalPeriod | None:
    """``"2026-03"`` (a month) or ``"2026-Q1"`` (a quarter), if it is an allowed period."""
    match = _VALUE.match(str(value or "").strip())
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        period = month_period(year, month)
    else:
        period = quarter_period(year, int(match.group(3)))
    return period if period_allowed(period.date_from, period.date_to, today) else None


def period_allowed(date_from: date, date_to: date, today: date | None = None) -> bool:
    """Whether ``date_from`` to ``date_to`` is a whole month or quarter that national figures
    may be given for."""
    today = today or timezone.localdate()
    if date_from.year < EARLIEST_YEAR or date_to >= today or date_from.day != 1:
        return False
    month = month_period(date_from.year, date_from.month)
    quarter = quarter_of(date_from)
    return (date_from, date_to) in (
        (month.date_from, month.date_to),
        (quarter.date_from, quarter.date_to) if quarter.date_from == date_from else (None, None),
    )


def default_period(today: date | None = None) -> NationalPeriod:
    """The most recent quarter that has ended."""
    return allowed_periods(today)[0]
