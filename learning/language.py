"""Producing something in a person's language: the one place every producer of text outside a
page asks for it (emails, notices, PDFs, CSV files, calendar files).

A page is already in its reader's language (``UserLanguageMiddleware``). Anything made for a
person somewhere else (a background task, an email to someone else, a calendar client reading
the personal feed) runs inside ``in_language_of(person)``: the language they chose
(``User.language``), or the site's default if they have not chosen one. Dates made inside it
read in that language too (``learning.dates``: "2 Rhagfyr 2026").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from learning.models import User


def language_of(person: User | None) -> str:
    """The language to write to ``person`` in: their choice, else the site's default."""
    return getattr(person, "language", "") or settings.LANGUAGE_CODE


def languages_for_unknown(*, in_wales: bool) -> tuple[str, ...]:
    """The languages to write in, in order, to someone whose language is not known (no
    account yet): Welsh and English together, as the Welsh Language Standards expect; Welsh
    first for an organisation in Wales, English first otherwise."""
    welsh, english = "cy", settings.LANGUAGE_CODE
    return (welsh, english) if in_wales else (english, welsh)


@contextmanager
def in_language_of(person: User | None) -> Iterator[str]:
    """Everything translated inside the block is in ``person``'s language (see
    ``language_of``); the language before it comes back afterwards. Yields the code."""
    language = language_of(person)
    with translation.override(language):
        yield language


WELSH = "cy"


def in_reader_language(english: str, welsh: str) -> str:
    """``welsh`` when the active language (the reader's, on a page; the person's, inside
    ``in_language_of``) is Welsh and a Welsh text is given, otherwise ``english``."""
    if welsh and translation.get_language() == WELSH:
        return welsh
    return english


def shown_name(item: object, field: str = "name") -> str:
    """The name of a taxonomy item (a topic, an audience, a supervision theme) in the active
    language: its Welsh name (``<field>_cy``) for a Welsh reader when one is filled in, otherwise
    the English name. The one place such a name is chosen by language."""
    return in_reader_language(getattr(item, field), getattr(item, f"{field}_cy", ""))
