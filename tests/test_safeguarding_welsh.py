"""Safeguarding patterns in Welsh: the matcher reads Welsh words whole (ŵ, ŷ, ô, however
typed), and the Welsh starting patterns prompt on Welsh writing about a current concern but not
on a sentence about training or the past. Every pattern applies to every text: someone writing
in Welsh on an English page is prompted the same."""

from __future__ import annotations

import pytest

from learning.guard import safeguarding_matches
from learning.safeguarding_patterns import ConcernPattern, matching_patterns
from reflection.journal.selectors import safeguarding_phrase_list
from reflection.models import SafeguardingPhrase


def test_welsh_letters_are_part_of_a_word_however_they_are_typed():
    patterns = [ConcernPattern("gŵr + bygwth*", window=4)]
    assert matching_patterns("Mae ei gŵr yn ei bygwth hi.", patterns)
    # The same letter typed as "w" and a combining circumflex.
    assert matching_patterns("Mae ei gw\u0302r yn ei bygwth hi.", patterns)
    # "gŵr" is one word, not "g" and "r".
    assert not matching_patterns("g r bygwth", patterns)
    assert matching_patterns(
        "Roedd hi'n ofnus flynyddoedd yn ôl.", [ConcernPattern("ofnus + yn ôl")]
    )


CONCERNS = (
    "Dw i eisiau lladd fy hun.",
    "Dywedodd hi ei bod hi eisiau rhoi diwedd ar ei bywyd.",
    "Dw i'n meddwl am frifo fy hun bob nos.",
    "Mae hi wedi bod yn hunan-niweidio eto.",
    "Dydy'r babi ddim yn ddiogel gartref heno.",
    "Mae gen i ofn, dw i ddim isio byw rhagor.",
    "Mae e'n sôn am hunanladdiad.",
)
NOT_CONCERNS = (
    "Yn yr hyfforddiant fe wnaethon ni drafod beth i'w wneud os yw menyw eisiau lladd ei hun.",
    "Flynyddoedd yn ôl roedd hi mewn perygl, ond mae hi'n ddiogel nawr.",
    "Mae'r plant yn saff ac yn hapus gyda'u mam.",
    "Cawson ni sesiwn goruchwylio dda heddiw am alar a cholled.",
)


@pytest.mark.django_db
@pytest.mark.parametrize("text", CONCERNS)
def test_the_welsh_starting_patterns_prompt_on_a_current_concern(text):
    assert safeguarding_matches(text, safeguarding_phrase_list())


@pytest.mark.django_db
@pytest.mark.parametrize("text", NOT_CONCERNS)
def test_the_welsh_starting_patterns_stay_quiet_on_training_the_past_and_the_ordinary(text):
    assert not safeguarding_matches(text, safeguarding_phrase_list())


@pytest.mark.django_db
def test_an_editor_adds_a_welsh_pattern_and_it_is_matched_at_once():
    text = "Mae hi'n cuddio yn yr ystafell ymolchi rhagddo fe."
    assert not safeguarding_matches(text, safeguarding_phrase_list())
    SafeguardingPhrase.objects.create(phrase="cuddio + rhagddo/oddi wrtho", window=6)
    assert safeguarding_matches(text, safeguarding_phrase_list())
