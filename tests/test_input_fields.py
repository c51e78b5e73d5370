"""Typed-in ids and search text go through the core's parsers, so an id from another script,
an id too large for the database or a stray quote in a search box is a form error, never a
server error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms

from learning.forms import IdChoiceField, id_from, search_terms
from learning.models import User

ROOT = Path(__file__).resolve().parents[1]
APPS = ("learning", "modules", "reflection", "community")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("", None),
        (None, None),
        ("²", None),
        ("١٢", None),
        ("-1", None),
        ("99999999999999999999", None),
        ("9223372036854775807", 2**63 - 1),
        ("1e3", None),
    ],
)
def test_id_from(value, expected):
    assert id_from(value) == expected


def test_search_terms_drop_query_syntax():
    assert search_terms('"hope box') == "hope box"
    assert search_terms("NEAR(a, b) OR c*") == "NEAR a b OR c"
    assert search_terms("Mother & baby") == "Mother baby"


@pytest.mark.django_db
def test_a_huge_id_is_a_choice_error_not_a_database_error():
    class Form(forms.Form):
        person = IdChoiceField(queryset=User.objects.all())

    form = Form({"person": "99999999999999999999"})
    assert not form.is_valid()
    assert "person" in form.errors


def test_apps_use_the_cores_id_fields_and_parser():
    offenders = []
    pattern = re.compile(r"forms\.Model(Multiple)?ChoiceField\(|\.isdigit\(\)")
    allowed = {
        "learning/forms.py",
        "learning/dates.py",
        "learning/identifiers.py",
        "learning/identifier_rules.py",
        "learning/bench/procstat.py",
    }
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            if "migrations" in path.parts or rel in allowed:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)
