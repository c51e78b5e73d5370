"""The NHS date input (three boxes) used for dates people type."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template

from learning.dates import DatePartsField, date_parts_value, split_date


class DateForm(forms.Form):
    when = DatePartsField(label="Date of the session", label_text="The date", not_future=True)


def errors(data: dict) -> list[str]:
    form = DateForm(data)
    assert not form.is_valid()
    return form.errors["when"]


def test_three_boxes_make_a_date():
    form = DateForm({"when_day": "5", "when_month": "03", "when_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2026, 3, 5)


def test_a_single_iso_value_still_works():
    form = DateForm({"when": "2026-01-15"})
    assert form.is_valid() and form.cleaned_data["when"] == datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({"when_month": "3", "when_year": "2026"}, "The date must include a day."),
        ({"when_day": "3", "when_year": "2026"}, "The date must include a month."),
        ({"when_day": "3"}, "The date must include a month and a year."),
        ({"when_day": "31", "when_month": "2", "when_year": "2026"}, "must be a real date"),
        ({"when_day": "1", "when_month": "13", "when_year": "2026"}, "must be a real date"),
        ({"when_day": "x", "when_month": "1", "when_year": "2026"}, "must be a real date"),
        ({"when_day": "1", "when_month": "1", "when_year": "26"}, "must be a real date"),
        ({"when_day": "1", "when_month": "1", "when_year": "2999"}, "today or in the past"),
    ],
)
def test_each_problem_gets_a_sentence(data, message):
    assert any(message in e for e in errors(data)), errors(data)


def test_helpers_round_trip():
    assert date_parts_value({"d_day": "1", "d_month": "2", "d_year": "2026"}, "d") == "2026-2-1"
    assert date_parts_value({}, "d") == ""
    assert split_date(datetime.date(2026, 2, 1)) == {"day": "1", "month": "2", "year": "2026"}
    assert split_date("2026-2-") == {"day": "", "month": "2", "year": "2026"}
    assert split_date(None) == {"day": "", "month": "", "year": ""}


def test_the_boxes_keep_exactly_what_was_typed():
    form = DateForm({"when_day": "31", "when_month": "2", "when_year": "2026"})
    form.is_valid()
    html = Template('{% include "includes/date_input.html" with field=form.when %}').render(
        Context({"form": form})
    )
    assert 'name="when_day" type="text" inputmode="numeric" value="31"' in html
    assert 'value="2026"' in html
    assert "nhsuk-form-group--error" in html and "nhsuk-error-message" in html
    assert (
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Date of the session'
        in (html)
    )
    unbound = DateForm(initial={"when": datetime.date(2025, 12, 24)})
    html = Template('{% include "includes/date_input.html" with field=form.when %}').render(
        Context({"form": unbound})
    )
    assert 'value="24"' in html and 'value="12"' in html and "nhsuk-error-message" not in html
