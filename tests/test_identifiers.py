"""The identifier guard and the safeguarding phrase check."""

from __future__ import annotations

import itertools
import random

import pytest

from learning.identifiers import (
    find_identifiers,
    nhs_number_is_valid,
    normalise,
    safeguarding_matches,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(m.kind, text[m.start : m.end]) for m in find_identifiers(text)]


def valid_nhs_numbers(count: int, seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    numbers: list[str] = []
    while len(numbers) < count:
        first = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(first, range(10, 1, -1), strict=True)) % 11
        if check == 10:
            continue
        numbers.append("".join(map(str, first)) + str(0 if check == 11 else check))
    return numbers


SPACINGS = [
    lambda n: n,
    lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",
    lambda n: f"{n[:3]}-{n[3:6]}-{n[6:]}",
    lambda n: f"{n[:3]}  {n[3:6]}  {n[6:]}",
    lambda n: f"{n[:3]}\u00a0{n[3:6]}\u00a0{n[6:]}",
    lambda n: f"{n[:4]} {n[4:7]} {n[7:]}",
    lambda n: " ".join(n),
]
CONTEXTS = [
    "{}",
    "Her NHS number is {}.",
    "nhs no: {} (checked)",
    "I wrote {} on the form by mistake",
    "({})",
    "Ref {}, then we met the team",
    "Number:{}\nNext line",
]


def test_one_thousand_valid_nhs_numbers_are_all_flagged():
    rng = random.Random(7)
    missed = []
    for number in valid_nhs_numbers(1000):
        text = rng.choice(CONTEXTS).format(rng.choice(SPACINGS)(number))
        if "nhs_number" not in {m.kind for m in find_identifiers(text)}:
            missed.append(text)
    assert not missed, missed[:10]


def test_invalid_checksums_are_not_flagged():
    invalid = []
    rng = random.Random(11)
    while len(invalid) < 500:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(10))
        if not nhs_number_is_valid(digits):
            invalid.append(digits)
    for digits in invalid:
        text = f"Reference {digits[:3]} {digits[3:6]} {digits[6:]} today"
        assert "nhs_number" not in {m.kind for m in find_identifiers(text)}, text


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("NHS 943 476 5919 here", "nhs_number", "943 476 5919"),
        ("943-476-5919", "nhs_number", "943-476-5919"),
        ("born 12/03/2024 at night", "date", "12/03/2024"),
        ("on 12 March 2024", "date", "12 March 2024"),
        ("on 3rd of May 24 we", "date", "3rd of May 24"),
        ("March 12, 2024", "date", "March 12, 2024"),
        ("2024-03-12", "date", "2024-03-12"),
        ("DOB 12/03", "date", "12/03"),
        ("she lives near SW1A 1AA now", "postcode", "SW1A 1AA"),
        ("postcode m1 1ae", "postcode", "m1 1ae"),
        ("call 07700 900123", "phone", "07700 900123"),
        ("ring +44 (0)20 7946 0958", "phone", "+44 (0)20 7946 0958"),
        ("ring (020) 7946 0958", "phone", "(020) 7946 0958"),
        ("email her at jo.bloggs@example.org", "email", "jo.bloggs@example.org"),
        ("hearing ZW24C50123 listed", "case_number", "ZW24C50123"),
        ("case no. 12345 was", "case_number", "case no. 12345"),
        ("court ref: AB/123/24", "case_number", "court ref: AB/123/24"),
        ("I met Ms Jane Smith today", "name", "Ms Jane Smith"),
        ("Mrs O'Neill said", "name", "Mrs O'Neill"),
        ("Mr. Patel came", "name", "Mr. Patel"),
        ("Miss Brown", "name", "Miss Brown"),
        ("baby Amelia was born", "name", "baby Amelia"),
        ("Baby Noah went to foster care", "name", "Baby Noah"),
    ],
)
def test_each_kind_is_found(text, kind, found):
    assert (kind, found) in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I met Ms A today and we talked about the baby.",
        "The baby. Then the social worker arrived.",
        "We spent 2 hours together at 3 pm, 45 minutes of it in silence.",
        "I felt miss-matched to the task and out of my depth.",
        "She had 26 weeks until the final hearing.",
        "Section 20 was discussed in the meeting.",
        "",
    ],
)
def test_ordinary_reflective_text_is_not_flagged(text):
    assert kinds(text) == []


def test_matches_are_in_order_and_do_not_overlap():
    text = "Ms Jane Smith, 943 476 5919, SW1A 1AA, 07700 900123"
    found = find_identifiers(text)
    assert [m.kind for m in found] == ["name", "nhs_number", "postcode", "phone"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_safeguarding_phrases_ignore_case_punctuation_and_spacing():
    phrases = ["in danger", "not safe at home", "self-harm"]
    assert safeguarding_matches("I think she is IN   danger.", phrases) == ["in danger"]
    assert safeguarding_matches("She said: not safe, at home!", phrases) == ["not safe at home"]
    assert safeguarding_matches("talked about self harm", phrases) == ["self-harm"]
    assert safeguarding_matches("a dangerous road", phrases) == []


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Her number 943\u200b476\u200b5919 was on it", "nhs_number", "943\u200b476\u200b5919"),
        ("number 943\u2009476\n5919.", "nhs_number", "943\u2009476\n5919"),
        ("n: 943.476.5919", "nhs_number", "943.476.5919"),
        ("n: 943_476_5919", "nhs_number", "943_476_5919"),
        ("she was born on the twelfth of March", "date", "the twelfth of March"),
        ("lives at S W 1 A 1 A A", "postcode", "S W 1 A 1 A A"),
        ("ring 0044 7700 900123", "phone", "0044 7700 900123"),
        ("ring 07700.900.123", "phone", "07700.900.123"),
        ("jo dot bloggs at example dot org", "email", "jo dot bloggs at example dot org"),
        ("listed as Z W 2 4 C 5 0 1 2 3", "case_number", "Z W 2 4 C 5 0 1 2 3"),
        ("mrs smith cried", "name", "mrs smith"),
        ("MRS SMITH SAID", "name", "MRS SMITH"),
        ("Mrs J. Smith said", "name", "Mrs J. Smith"),
        ("Dr Okafor explained", "name", "Dr Okafor"),
        ("Baby girl Smith", "name", "Baby girl Smith"),
        ("Parch Jones visited", "name", "Parch Jones"),
    ],
)
def test_hidden_and_unusual_forms_are_found_and_highlighted_as_typed(text, kind, found):
    assert (kind, found) in kinds(text)


def test_normalising_maps_each_character_back():
    tidy, where = normalise("a\u200bb \u2009\n c\u2013d")
    assert tidy == "ab c-d"
    assert [where[i] for i in range(len(tidy))] == [0, 2, 3, 7, 8, 9]
    assert where[-1] == len("a\u200bb \u2009\n c\u2013d")
