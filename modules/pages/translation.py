"""Which version of a page a reader sees: English or Welsh.

Every module and lesson has one English page (the default locale, ``en-gb``), and may have a
Welsh translation: a page in the ``cy`` locale with the same ``translation_key``, made in the
admin with wagtail-localize or installed from ``modules/curriculum/cy/``. URLs, progress, check
answers, certificates and CPD all belong to the English page (the source), so reading either
version is the same learning. Only the words shown change: a Welsh reader sees the live Welsh
translation where there is one, and otherwise the English page with a notice and ``lang="en"``
on the English passages.

Reading English costs no query at all; reading Welsh costs one query a page (two on a lesson:
the lesson and its module) and one for the titles of a list of pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page

SOURCE_LANGUAGE: str = settings.LANGUAGE_CODE  # "en-gb": every source page's locale


def content_language(language: str | None = None) -> str:
    """The content language for an interface language: ``cy`` for Welsh, otherwise English."""
    language = (language or translation.get_language() or SOURCE_LANGUAGE).lower()
    return "cy" if language.split("-")[0] == "cy" else SOURCE_LANGUAGE


def html_lang(language: str) -> str:
    """The ``lang`` attribute for a content language (``en`` for English, as the notice says)."""
    return "en" if language == SOURCE_LANGUAGE else language


@dataclass(frozen=True)
class Shown:
    """What a reader sees of a source page: ``text`` is the page whose words are shown (the
    translation, or the source itself); ``lang`` is set when those words are in another language
    than the interface (for the passage's ``lang`` attribute); ``untranslated`` when the reader
    asked for Welsh and there is no live Welsh version yet."""

    text: Any
    lang: str = ""
    untranslated: bool = False


def live_translation(source: Page, language: str) -> Page | None:
    """The live translation of ``source`` into ``language`` (the specific page), or None."""
    if language == SOURCE_LANGUAGE:
        return None
    return (
        type(source)
        .objects.live()
        .filter(
            translation_key=source.translation_key,
            locale__language_code=language,
            alias_of__isnull=True,
        )
        .first()
    )


def shown(source: Page, language: str | None = None, *, text: Page | None = None) -> Shown:
    """The version of ``source`` to show in ``language`` (the active one by default). ``text``
    is a version already in hand (an editor's preview of a Welsh draft)."""
    language = content_language(language)
    if text is not None and text is not source:
        text_language = text.locale.language_code
        return Shown(text=text, lang="" if text_language == language else html_lang(text_language))
    if language == SOURCE_LANGUAGE:
        return Shown(text=source)
    translated = live_translation(source, language)
    if translated is None:
        return Shown(text=source, lang=html_lang(SOURCE_LANGUAGE), untranslated=True)
    return Shown(text=translated)


def label_outcomes(outcomes: Iterable[Any], language: str | None = None) -> None:
    """Give each of an English module's learning outcomes the words to show: ``shown_text``,
    from the outcome with the same translation key in the module's live translation or, without
    one, its own; and ``shown_lang`` where those words are English in a Welsh interface. The
    outcomes themselves stay the English ones (ratings are recorded against them). One query in
    Welsh, none in English."""
    from modules.models import LearningOutcome

    outcomes = list(outcomes)
    language = content_language(language)
    found: dict = {}
    if language != SOURCE_LANGUAGE and outcomes:
        found = dict(
            LearningOutcome.objects.filter(
                translation_key__in=[o.translation_key for o in outcomes],
                locale__language_code=language,
                page__live=True,
            ).values_list("translation_key", "text")
        )
    for outcome in outcomes:
        text = found.get(outcome.translation_key)
        outcome.shown_text = text or outcome.text
        untranslated = language != SOURCE_LANGUAGE and text is None
        outcome.shown_lang = html_lang(SOURCE_LANGUAGE) if untranslated else ""


def source_of(page: Page) -> Page:
    """The English page a translation was made from (the page itself if it is the source)."""
    if page.locale.language_code == SOURCE_LANGUAGE:
        return page
    source = (
        type(page)
        .objects.filter(translation_key=page.translation_key, locale__language_code=SOURCE_LANGUAGE)
        .first()
    )
    return source or page


def translated_fields(
    pages: Iterable[Page], language: str | None = None, *, fields: tuple[str, ...] = ()
) -> dict[int, tuple]:
    """The live translations' titles (and ``fields``) of ``pages``, by source page id, in one
    query. Pages with no live translation are left out: the caller shows the English."""
    language = content_language(language)
    pages = list(pages)
    if language == SOURCE_LANGUAGE or not pages:
        return {}
    by_key = {page.translation_key: page.pk for page in pages}
    model = type(pages[0]) if fields else Page
    rows = model.objects.live().filter(
        translation_key__in=list(by_key), locale__language_code=language, alias_of__isnull=True
    )
    return {
        by_key[key]: values
        for key, *values in rows.values_list("translation_key", "title", *fields)
    }


def label_titles(
    pages: Iterable[Page], language: str | None = None, *, fields: tuple[str, ...] = ()
) -> None:
    """Give each page in a list the words to show: ``shown_title`` (and ``shown_<field>`` for
    each of ``fields``) from its live translation or, without one, its own; and, where those
    words are English in a Welsh interface, ``shown_lang`` for their ``lang`` attribute."""
    pages = list(pages)
    language = content_language(language)
    found = translated_fields(pages, language, fields=fields)
    for page in pages:
        values = found.get(page.pk)
        page.shown_title = values[0] if values else page.title
        for name, value in zip(fields, (values or [])[1:] or [None] * len(fields), strict=True):
            setattr(page, f"shown_{name}", value if values else getattr(page, name))
        untranslated = language != SOURCE_LANGUAGE and values is None
        page.shown_lang = html_lang(SOURCE_LANGUAGE) if untranslated else ""


def matching_sources(
    model: type[Page], query: str, limit: int, *, source_locale_id: int
) -> list[Page]:
    """The English pages of ``model`` that match a search in the reader's language, closest
    first, at most ``limit``: in English, the English pages (one query, as before there were
    translations); in Welsh, the pages whose live Welsh translation matches and the English
    pages that match and have no live Welsh translation (their English is what a Welsh reader
    sees). ``source_locale_id`` is the English locale's id (from a page in hand)."""
    language = content_language()
    live = model.objects.live()
    if language == SOURCE_LANGUAGE:
        hits = live.search(query, fields=None)[: limit * 2]
        return [page for page in hits if page.locale_id == source_locale_id][:limit]
    # The search backend filters on the locale itself, not on fields across the relation.
    locale = Locale.objects.filter(language_code=language).first()
    english = list(live.filter(locale=source_locale_id).search(query, fields=None)[:limit])
    welsh = list(live.filter(locale=locale).search(query, fields=None)[:limit]) if locale else []
    # An alias in the Welsh tree (wagtail-localize keeps the tree in step) is English words.
    welsh = [page for page in welsh if page.alias_of_id is None]
    translated = set(
        live.filter(
            locale=locale,
            alias_of__isnull=True,
            translation_key__in=[page.translation_key for page in english],
        ).values_list("translation_key", flat=True)
    )
    keys = [page.translation_key for page in welsh]
    keys += [page.translation_key for page in english if page.translation_key not in translated]
    sources = {
        page.translation_key: page
        for page in live.filter(locale=source_locale_id, translation_key__in=keys)
    }
    return list(dict.fromkeys(sources[key] for key in keys if key in sources))[:limit]
