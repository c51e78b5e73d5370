"""The identifier guard: finds what might identify a woman, a baby or a family in free text.

Reflections and posts must not identify anyone. Before text is saved, ``find_identifiers`` looks
for likely identifiers (the kinds in ``KIND_LABELS``), so the writer can see them highlighted
and edit or confirm. It is a prompt for the writer's judgement, not a filter: it errs towards
flagging.

The text is tidied first (``normalise``): hidden characters such as zero-width spaces go, every
run of spaces, thin spaces and line breaks becomes one plain space, dashes and quotes become
plain ones. The rules (``learning.identifier_rules``) run on the tidied text and each match is
mapped back to the span of the text as the writer typed it, so the highlight covers what they
wrote.

``safeguarding_matches`` looks for patterns that suggest a current safeguarding concern (the
patterns are kept by editors), so the writer can be pointed to their organisation's route.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from learning import identifier_rules as rules
from learning.identifier_rules import nhs_number_is_valid
from learning.safeguarding_patterns import ConcernPattern, matching_patterns

__all__ = [
    "KIND_LABELS",
    "Match",
    "find_identifiers",
    "nhs_number_is_valid",
    "normalise",
    "safeguarding_matches",
]

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

# The first kind found at a place wins, in this order. A phone number (which starts 0, +44 or
# 0044) comes before an NHS number, whose ten digits may hide inside it.
_FINDERS = (
    (PHONE, rules.phones),
    (NHS_NUMBER, rules.nhs_numbers),
    (EMAIL, rules.emails),
    (CASE_NUMBER, rules.case_numbers),
    (DATE, rules.dates),
    (POSTCODE, rules.postcodes),
    (NAME, rules.names),
)


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int


# Everything that is not printable ASCII, and any whitespace: what normalising looks at.
_SPECIAL = re.compile(r"\s+|[^\x21-\x7e]")
_REPLACE = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201b\u02bc\u2032\uff07", "'"),
    **dict.fromkeys("\u201c\u201d\u201f\u2033", '"'),
    **dict.fromkeys("\u2024\uff0e\u00b7\u2027", "."),
    **dict.fromkeys("\u2044\u2215\uff0f", "/"),
    **dict.fromkeys("\uff20", "@"),
    **dict.fromkeys("\uff3f", "_"),
}


def _plain(ch: str) -> str:
    """One character that is not printable ASCII, as the rules should see it ("" to drop)."""
    if ch in _REPLACE:
        return _REPLACE[ch]
    category = unicodedata.category(ch)
    if category in ("Zs", "Zl", "Zp"):
        return " "
    if category == "Cf" or category == "Mn":  # zero-width and joining marks, soft hyphen
        return ""
    if category == "Nd":
        return str(unicodedata.digit(ch))
    folded = unicodedata.normalize("NFKC", ch)  # full-width letters
    return folded if len(folded) == 1 else ch


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as the rules read it, and for each of its characters the index of the
    character it came from in ``text`` (plus one entry for the end)."""
    out: list[str] = []
    where: list[int] = []
    at = 0
    for m in _SPECIAL.finditer(text):
        if m.start() > at:
            out.append(text[at : m.start()])
            where.extend(range(at, m.start()))
        piece = m.group()
        ch = " " if piece.isspace() else _plain(piece)
        if ch == " " and out and out[-1].endswith(" "):
            ch = ""  # a space already ends the text so far
        if ch:
            out.append(ch)
            where.append(m.start())
        at = m.end()
    if at < len(text):
        out.append(text[at:])
        where.extend(range(at, len(text)))
    where.append(len(text))
    return "".join(out), where


def find_identifiers(text: str) -> list[Match]:
    """Likely identifiers in ``text``, in order, without overlaps (the first kind found at a
    place wins: phone, NHS number, email, case number, date, postcode, name). Spans are of
    ``text`` as given."""
    if not text:
        return []
    tidy, where = normalise(text)
    found: list[Match] = []
    for kind, finder in _FINDERS:
        for start, end in finder(tidy):
            found.append(Match(kind, where[start], where[end - 1] + 1))
    kept: list[Match] = []
    for match in found:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def safeguarding_matches(text: str, patterns: Iterable[str | ConcernPattern]) -> list[str]:
    """The patterns (from the editable list) that ``text`` matches: see
    ``learning.safeguarding_patterns`` for how a pattern is written."""
    return matching_patterns(text, patterns)
