"""One date format across the site, in the NHS style: "2 December 2026" and "2 December 2026
at 2:47pm". Every template shows dates through the two filters; no template formats a date its
own way (the check below fails on one that does)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.test import override_settings

from learning.dates import nhs_date, nhs_datetime, nhs_time

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LONDON = ZoneInfo("Europe/London")


def test_dates_read_as_the_nhs_writes_them():
    assert nhs_date(datetime.date(2026, 12, 2)) == "2 December 2026"
    assert nhs_date(None) == ""
    at = datetime.datetime(2026, 12, 2, 14, 47, 5, tzinfo=LONDON)
    assert nhs_datetime(at) == "2 December 2026 at 2:47pm"
    assert nhs_datetime(at, seconds=True) == "2 December 2026 at 2:47:05pm"
    assert nhs_datetime(at, weekday=True) == "Wednesday 2 December 2026 at 2:47pm"
    assert nhs_datetime(datetime.date(2026, 12, 2)) == "2 December 2026"
    assert nhs_time(datetime.datetime(2026, 12, 2, 9, 0)) == "9am"
    assert nhs_time(datetime.datetime(2026, 12, 2, 0, 5)) == "12:05am"
    assert nhs_time(datetime.datetime(2026, 12, 2, 12, 0)) == "12pm"


@override_settings(TIME_ZONE="Europe/London")
def test_a_moment_is_shown_in_the_sites_time_zone():
    utc = datetime.datetime(2026, 7, 1, 13, 30, tzinfo=datetime.UTC)  # 2:30pm in London (BST)
    assert nhs_datetime(utc) == "1 July 2026 at 2:30pm"
    # A moment near midnight UTC falls on the next day in London.
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert nhs_date(late) == "1 July 2026"


def test_the_same_moment_reads_in_each_language_and_time_zone_it_is_shown_in():
    """A moment is worked out once per language and zone: the memo never hands an English
    date to a Welsh page, nor one zone's time to another."""
    from django.utils import translation

    at = datetime.datetime(2026, 12, 2, 14, 47, tzinfo=datetime.UTC)
    with translation.override("en-gb"):
        english = nhs_datetime(at)
    with translation.override("cy"):
        welsh = nhs_datetime(at)
    assert english == "2 December 2026 at 2:47pm"
    assert "Rhagfyr" in welsh and "December" not in welsh
    with translation.override("en-gb"):
        assert nhs_datetime(at) == english
    with override_settings(TIME_ZONE="America/New_York"), translation.override("en-gb"):
        assert nhs_datetime(at) == "2 December 2026 at 9:47am"


def test_the_filters_need_no_load_tag():
    at = datetime.datetime(2026, 12, 2, 14, 47, tzinfo=LONDON)
    html = Template("{{ at|nhs_date }} | {{ at|nhs_datetime }}").render(Context({"at": at}))
    assert html == "2 December 2026 | 2 December 2026 at 2:47pm"


def test_no_template_formats_a_date_its_own_way():
    """Only machine formats (a form's hidden ISO date) may use Django's ``date`` filter."""
    own = {
        str(path.relative_to(TEMPLATES)): formats
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (
            formats := [
                f
                for f in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text("utf-8"))
                if f != "Y-m-d"
            ]
        )
    }
    assert own == {}
