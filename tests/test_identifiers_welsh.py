"""The identifier guard reads Welsh: dates with Welsh month names (and their mutated forms,
"o Fawrth", "o Orffennaf", "o Ragfyr") and Welsh day endings (1af, 3ydd, 12fed, 21ain), Welsh
signs of a birth and of an event, and names after Welsh titles."""

from __future__ import annotations

import pytest

from learning.identifiers import find_identifiers


def found(text: str) -> list[tuple[str, str]]:
    return [(m.kind, text[m.start : m.end]) for m in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Ganwyd y babi ar 12 Mawrth 2024.", "12 Mawrth 2024"),
        ("Cafodd ei eni ar y 3ydd o Fehefin 2023.", "y 3ydd o Fehefin 2023"),
        ("Ganwyd hi 5 Orffennaf.", "5 Orffennaf"),
        ("Mae ei phen-blwydd ar 21ain o Ragfyr 2024.", "21ain o Ragfyr 2024"),
        ("Dyddiad: 2il o Ionawr 2025", "2il o Ionawr 2025"),
        ("Daeth i'r uned ar 1af Chwefror 2024.", "1af Chwefror 2024"),
        ("Ganed y babi 7fed o Fedi.", "7fed o Fedi"),
        ("Geni: 9 Ebrill 2022", "9 Ebrill 2022"),
        ("Ganwyd 30 Tachwedd 2021", "30 Tachwedd 2021"),
        ("ei eni ar 4 Mai", "4 Mai"),
        ("Ganwyd 16 Awst 2020, 11 Hydref 2019", "16 Awst 2020"),
    ],
)
def test_welsh_dates_of_birth_are_found(text, date):
    assert ("date", date) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mae'r cyfarfod goruchwyliaeth ar 12 Mawrth 2024.",
        "Gwrandawiad ar 3 Mehefin 2025 yn y llys teulu.",
        "Fe wnaethon ni gyfarfod dydd Mawrth 12 yn y bore.",
        "Rwy'n credu mai hi yw'r person iawn i siarad â hi.",
        "Roedd mis Mai yn anodd i'r tîm.",
    ],
)
def test_welsh_meetings_weekdays_and_ordinary_words_are_not_dates(text):
    assert [kind for kind, _ in found(text) if kind == "date"] == []


def test_a_name_after_a_welsh_title_is_found():
    assert any(kind == "name" for kind, _ in found("Siaradais â'r Parchedig Gruffydd heddiw."))
