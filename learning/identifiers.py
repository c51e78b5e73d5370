"""The identifier guard: finds what might identify a woman, a baby or a family in free text.

Reflections and posts must not identify anyone. Before text is saved, ``find_identifiers`` looks
for likely identifiers (the kinds in ``KIND_LABELS``), so the writer can see them highlighted
and edit or confirm. It is a prompt for the writer's judgement, not a filter: it errs towards
flagging.

``safeguarding_matches`` looks for phrases that suggest a current safeguarding concern (the
phrases are kept by editors), so the writer can be pointed to their organisation's route.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

NHS_NUMBER = "nhs_number"
DATE = "date"
POSTCODE = "postcode"
PHONE = "phone"
EMAIL = "email"
CASE_NUMBER = "case_number"
NAME = "name"

# Plain-English names for each kind, for the writer.
KIND_LABELS = {
    NHS_NUMBER: "an NHS number",
    DATE: "a date, which may be a date of birth",
    POSTCODE: "a postcode",
    PHONE: "a phone number",
    EMAIL: "an email address",
    CASE_NUMBER: "a court or case number",
    NAME: "a name",
}


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int


_SEP = r"[ \-\u00a0]{0,2}"
# Ten digits with any spacing, not part of a longer number.
_NHS = re.compile(rf"(?<![\d\-])(?<!\d )\d(?:{_SEP}\d){{9}}(?!{_SEP}\d)")
# The usual 3-3-4 shape, even when another number follows ("9434765919 020…").
_NHS_GROUPED = re.compile(r"(?<!\d)\d{3}[ \-]?\d{3}[ \-]?\d{4}(?!\d)")

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATES = [
    # 12/03/2024, 12-3-24, 12.03.2024
    re.compile(
        r"(?<![\d/.\-])(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|1[0-2])[/.\-]"
        r"(?:\d{4}|\d{2})(?![\d/.\-]?\d)"
    ),
    # 2024-03-12
    re.compile(r"(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)"),
    # 12 March 2024, 12th Mar 24
    re.compile(
        rf"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTHS}\.?,?\s+(?:\d{{4}}|'?\d{{2}})(?!\d)",
        re.IGNORECASE,
    ),
    # March 12, 2024
    re.compile(
        rf"\b{_MONTHS}\.?\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)",
        re.IGNORECASE,
    ),
    # "DOB 12/03" or "born on 12 March" without a year
    re.compile(
        rf"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*:?\s*(?:(?:0?[1-9]|[12]\d|3[01])"
        rf"(?:st|nd|rd|th)?(?:[/.\-](?:0?[1-9]|1[0-2])|\s+{_MONTHS}))",
        re.IGNORECASE,
    ),
]
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?![\d\-])"
)
_EMAIL = re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")
_CASE = [
    # Family court case numbers: ZW24C50123
    re.compile(r"\b[A-Z]{2}\d{2}[A-Z]\d{5}\b", re.IGNORECASE),
    # "case no. 12345", "court ref: AB/123/24", "case number 1234"
    re.compile(
        r"\b(?:case|court|claim|proceedings)\s*(?:no\.?|number|num\.?|ref(?:erence)?\.?|#)"
        r"\s*[:.]?\s*[A-Z0-9][A-Z0-9/\-]*\d[A-Z0-9/\-]*",
        re.IGNORECASE,
    ),
]
# A title, then one to three capitalised words of at least two letters ("Ms A" is not a name).
_NAME_WORD = r"[A-Z](?:[a-z]+(?:[A-Z][a-z]+)?(?:['’\-][A-Z]?[a-z]+)*|['’][A-Z][a-z]+)"
_NAME = re.compile(
    rf"\b(?:(?:Mrs|Ms|Miss|Mr|Mx)\.?|[Bb]aby)[ \u00a0]+{_NAME_WORD}(?:[ \-]{_NAME_WORD}){{0,2}}"
)


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number mod-11 check: weights 10 to 2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phone_is_plausible(text: str) -> bool:
    if text.startswith("+44"):
        national = re.sub(r"\D", "", text.replace("(0)", ""))[2:]
    else:
        national = re.sub(r"\D", "", text)[1:]
    return len(national) in (9, 10)


def find_identifiers(text: str) -> list[Match]:
    """Likely identifiers in ``text``, in order, without overlaps (the first kind found at a
    place wins: NHS number, email, case number, date, phone, postcode, name)."""
    if not text:
        return []
    found: list[Match] = []
    for pattern in (_NHS, _NHS_GROUPED):
        for m in pattern.finditer(text):
            if nhs_number_is_valid(re.sub(r"\D", "", m.group())):
                found.append(Match(NHS_NUMBER, m.start(), m.end()))
    found += [Match(EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(text)]
    for pattern in _CASE:
        found += [Match(CASE_NUMBER, m.start(), m.end()) for m in pattern.finditer(text)]
    for pattern in _DATES:
        found += [Match(DATE, m.start(), m.end()) for m in pattern.finditer(text)]
    found += [
        Match(PHONE, m.start(), m.end())
        for m in _PHONE.finditer(text)
        if _phone_is_plausible(m.group())
    ]
    found += [Match(POSTCODE, m.start(), m.end()) for m in _POSTCODE.finditer(text)]
    found += [Match(NAME, m.start(), m.end()) for m in _NAME.finditer(text)]
    kept: list[Match] = []
    for match in found:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def safeguarding_matches(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases (from the editable list) that ``text`` contains, ignoring case, punctuation
    and spacing."""
    haystack = f" {_normalise(text)} "
    return [p for p in phrases if (n := _normalise(p)) and f" {n} " in haystack]
