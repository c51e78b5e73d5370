"""The shipped Welsh module, as installed: every field of the module and its lessons that
wagtail-localize offers for translation (title, summary, content notes, learning outcomes,
lesson text, knowledge-check questions, options, feedback and explanations, the end-of-module
question bank, references, governance notes) is in Welsh, and its learning outcomes are paired
with the English ones by translation key, so a later sync keeps them."""

from __future__ import annotations

import shutil

import pytest
from wagtail.models import Locale
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from modules.curriculum import CURRICULUM_DIR
from modules.models import LessonPage, ModulePage
from modules.seed_curriculum import seed_curriculum

pytestmark = pytest.mark.django_db

FILE = "04-information-sharing.json"
# Segments that are the same in both languages by design: the address and the version number.
SAME_IN_BOTH = frozenset({"slug", "version"})
# Proper names and citations a Welsh text may quote exactly as written (none in this module:
# its citations name the English titles inside a Welsh sentence).
ALLOWED_SAME: frozenset[str] = frozenset()


@pytest.fixture
def installed(tmp_path):
    """The shipped English module 4 and its shipped Welsh translation."""
    shutil.copy(CURRICULUM_DIR / FILE, tmp_path / FILE)
    (tmp_path / "cy").mkdir()
    shutil.copy(CURRICULUM_DIR / "cy" / FILE, tmp_path / "cy" / FILE)
    seed_curriculum(directory=tmp_path)
    english = ModulePage.objects.get(slug="information-sharing", locale__language_code="en-gb")
    welsh = english.get_translation(Locale.objects.get(language_code="cy"))
    return tmp_path, english, welsh


def _strings(page) -> dict[str, str]:
    return {
        segment.path: segment.render_text()
        for segment in extract_segments(page)
        if isinstance(segment, StringSegmentValue)
    }


def _pairs(english, welsh):
    yield english, welsh
    for lesson in LessonPage.objects.child_of(english).specific().order_by("path"):
        yield lesson, lesson.get_translation(welsh.locale)


def test_no_translatable_field_of_the_welsh_module_is_the_english_text(installed):
    _folder, english, welsh = installed
    checked = 0
    for source, translation in _pairs(english, welsh):
        assert translation.live, source.slug
        words, welsh_words = _strings(source), _strings(translation)
        # The same segments in both: nothing missing from, or added to, the translation.
        assert set(words) == set(welsh_words), source.slug
        same = [
            path
            for path, text in words.items()
            if text == welsh_words[path]
            and path.split(".")[0] not in SAME_IN_BOTH
            and text not in ALLOWED_SAME
        ]
        assert not same, f"{source.slug}: still in English: {same}"
        checked += len(words)
    assert checked > 100


def test_the_module_offers_its_learning_outcomes_to_translate_and_they_are_welsh(installed):
    _folder, english, welsh = installed
    paths = [p for p in _strings(english) if p.startswith("learning_outcomes.")]
    assert len(paths) == english.learning_outcomes.count() == 5
    outcomes = list(english.learning_outcomes.order_by("sort_order"))
    welsh_outcomes = list(welsh.learning_outcomes.order_by("sort_order"))
    assert [o.translation_key for o in welsh_outcomes] == [o.translation_key for o in outcomes]
    assert {o.locale_id for o in welsh_outcomes} == {welsh.locale_id}
    assert {o.locale_id for o in outcomes} == {english.locale_id}
    assert all(o.text.startswith("Erbyn y diwedd") for o in welsh_outcomes)


def test_a_shipped_change_to_an_outcome_keeps_it_paired_with_its_translation(installed):
    folder, english, welsh = installed
    keys = [o.translation_key for o in english.learning_outcomes.order_by("sort_order")]
    path = folder / FILE
    text = path.read_text(encoding="utf-8")
    first = english.learning_outcomes.order_by("sort_order").first().text
    path.write_text(text.replace(first, first.rstrip(".") + " in practice."), encoding="utf-8")
    seed_curriculum(directory=folder)
    english.refresh_from_db()
    outcomes = list(english.learning_outcomes.order_by("sort_order"))
    assert outcomes[0].text.endswith("in practice.")
    assert [o.translation_key for o in outcomes] == keys
    assert [o.translation_key for o in welsh.learning_outcomes.order_by("sort_order")] == keys
