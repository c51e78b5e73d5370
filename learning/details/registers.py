"""Registration numbers: what each professional register's numbers look like, so a mistyped
number is caught when it is entered.

- NMC: the PIN is two digits, one letter, four digits and one letter (for example 12A3456E).
- Social Work England: "SW" followed by digits (for example SW123456).
- HCPC: a two-letter profession prefix followed by digits (for example PA12345).
- GMC: a seven-digit number.
- Social Care Wales: the format is not checked beyond letters and digits, 4 to 20 characters,
  because its numbers follow no single published pattern we could confirm.

Numbers are stored in capitals without spaces, as the registers show them.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from learning.models import ProfessionalRegister

_PATTERNS: dict[str, tuple[re.Pattern[str], object]] = {
    ProfessionalRegister.NMC: (
        re.compile(r"\d{2}[A-Z]\d{4}[A-Z]"),
        _(
            "Enter your NMC PIN in the correct format: 2 numbers, a letter, 4 numbers and a "
            "letter, like 12A3456E"
        ),
    ),
    ProfessionalRegister.SWE: (
        re.compile(r"SW\d{1,8}"),
        _(
            "Enter your Social Work England number in the correct format: "
            '"SW" then numbers, like SW123456'
        ),
    ),
    ProfessionalRegister.HCPC: (
        re.compile(r"[A-Z]{2}\d{4,8}"),
        _("Enter your HCPC number in the correct format: 2 letters then numbers, like PA12345"),
    ),
    ProfessionalRegister.GMC: (
        re.compile(r"\d{7}"),
        _("Enter your GMC number in the correct format: 7 numbers, like 1234567"),
    ),
    ProfessionalRegister.SCW: (
        re.compile(r"[A-Z0-9]{4,20}"),
        _("Enter your Social Care Wales registration number using only letters and numbers"),
    ),
}


def registration_number_normalise(number: str) -> str:
    """Capitals, without spaces or hyphens: "12a 3456-e" → "12A3456E"."""
    return re.sub(r"[\s\-]", "", number or "").upper()


def registration_number_error(register: str, number: str) -> str:
    """What is wrong with ``number`` (already normalised) for ``register``, or ""."""
    rule = _PATTERNS.get(register)
    if rule is None or not number:
        return ""
    pattern, message = rule
    return "" if pattern.fullmatch(number) else str(message)


def registers_with_numbers() -> tuple[str, ...]:
    return tuple(_PATTERNS)
