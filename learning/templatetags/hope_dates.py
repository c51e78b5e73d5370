"""Dates in templates, one format across the site: ``{{ value|nhs_date }}`` gives "2 December
2026" and ``{{ value|nhs_datetime }}`` "2 December 2026 at 2:47pm" (``nhs_datetime:"seconds"``
adds the seconds, for the audit log; ``nhs_datetime:"weekday"`` starts with the day of the
week, for sessions people attend). Loaded in every template (``builtins`` in settings)."""

from __future__ import annotations

from django import template

from learning import dates

register = template.Library()


@register.filter
def nhs_date(value) -> str:
    return dates.nhs_date(value)


@register.filter
def nhs_datetime(value, arg: str = "") -> str:
    return dates.nhs_datetime(value, seconds=arg == "seconds", weekday=arg == "weekday")
