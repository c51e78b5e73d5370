"""Safeguarding patterns: does a passage suggest a current concern (someone may be at risk now)?

Content editors keep the patterns (a list in the admin); this module reads them. How a pattern
is written:

- Terms joined by ``+`` must all appear within a window of words (10 unless the pattern says
  otherwise), in any order: ``worried/scared/afraid + not safe/unsafe``.
- ``/`` separates alternatives within a term. An alternative of several words
  (``not safe``) must appear as written, word after word.
- Each word also matches its usual forms: ``hurt`` finds "hurts", "hurting"; ``threat``
  finds "threats", "threatened", "threatening"; ``hide`` finds "hiding". Irregular forms are
  listed as alternatives (``hit/hits/hitting``). A word ending in ``*`` matches any word that
  starts with it (``bruis*``).
- A pattern marked "not current" (training, the past, a concern already passed on) cancels any
  match in the same sentence: "In the training we talked about what to do if a woman is not
  safe at home" is not a prompt.

Patterns are in English or Welsh, and every pattern is looked for in every text, whatever the
interface language: people write in either language, or both. Word forms are English endings;
Welsh changes the start of a word instead (mutation: "bywyd", "fy mywyd"), so a Welsh pattern
lists the mutated forms it means as alternatives.

A writer is prompted, not stopped: a match shows their organisation's safeguarding route before
the text is saved, and they can save anyway.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_WINDOW = 10

# A word is letters and digits in any alphabet: Welsh words keep their accented letters
# ("gŵr", "yn ôl") whole, as English words keep theirs.
_LETTERS = r"[^\W_]"
_WORD = re.compile(rf"{_LETTERS}+(?:'{_LETTERS}+)?")
_PATTERN_WORD = re.compile(rf"(?:{_LETTERS}|')+\*?")
_SENTENCE_END = re.compile(r"[.!?;:\n]+|\u2026")
_SUFFIXES = (
    "s",
    "es",
    "ed",
    "d",
    "ing",
    "er",
    "ers",
    "en",
    "ened",
    "ening",
    "ens",
    "ly",
    "y",
    "ies",
    "ied",
    "ful",
    "ness",
    "'s",
    "'ll",
    "'d",
)


@dataclass(frozen=True)
class ConcernPattern:
    """One editable pattern: its text, its window in words and whether it marks text that is
    not a current concern."""

    text: str
    window: int = DEFAULT_WINDOW
    not_current: bool = False


@dataclass(frozen=True)
class _Compiled:
    source: ConcernPattern
    # Each term: its alternatives, each a tuple of words ("*" ending = prefix).
    terms: tuple[tuple[tuple[str, ...], ...], ...]


def _tidy(text: str) -> str:
    """Lower case, curly apostrophes straight, and accents as single letters (a circumflex
    typed as a combining mark, as some keyboards do, is the same "ŵ" as one typed whole)."""
    text = unicodedata.normalize("NFC", text).lower()
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _compile(pattern: ConcernPattern) -> _Compiled | None:
    terms = []
    for term in pattern.text.split("+"):
        alternatives = []
        for alternative in term.split("/"):
            words = tuple(w.rstrip("'") for w in _PATTERN_WORD.findall(_tidy(alternative)))
            if words:
                alternatives.append(words)
        if alternatives:
            terms.append(tuple(alternatives))
    return _Compiled(pattern, tuple(terms)) if terms else None


def _stems(token: str) -> set[str]:
    """The words a token may be a form of: itself, without a usual ending, with a doubled last
    letter undone ("hitting"), or with the "e" a suffix dropped ("hiding")."""
    stems = {token}
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            base = token[: -len(suffix)]
            stems.add(base)
            if len(base) >= 3 and base[-1] == base[-2]:
                stems.add(base[:-1])
            if suffix[0] in "aeiouy":
                stems.add(base + "e")
            if suffix in ("ies", "ied"):
                stems.add(base + "y")
    return stems


def _tokens(text: str) -> tuple[list[str], list[int]]:
    """The words of ``text`` and the sentence each is in."""
    words: list[str] = []
    sentences: list[int] = []
    for number, sentence in enumerate(_SENTENCE_END.split(_tidy(text))):
        for word in _WORD.findall(sentence):
            words.append(word)
            sentences.append(number)
    return words, sentences


def _word_matches(word: str, token: str, stems: set[str]) -> bool:
    if word.endswith("*"):
        return token.startswith(word[:-1])
    return word in stems


class _Text:
    """A passage split into words, with each word's possible stems indexed."""

    def __init__(self, text: str):
        self.words, self.sentences = _tokens(text)
        self.stems = [_stems(w) for w in self.words]
        self.index: dict[str, list[int]] = {}
        for at, stems in enumerate(self.stems):
            for stem in stems:
                self.index.setdefault(stem, []).append(at)

    def starts(self, word: str) -> Iterable[int]:
        if word.endswith("*"):
            prefix = word[:-1]
            return [at for at, token in enumerate(self.words) if token.startswith(prefix)]
        return self.index.get(word, ())


def _occurrences(compiled: _Compiled, text: _Text) -> list[tuple[int, int, int]]:
    """(first word, last word, term) for every place a term of the pattern appears."""
    found = []
    words, stems = text.words, text.stems
    for index, term in enumerate(compiled.terms):
        for alternative in term:
            size = len(alternative)
            for at in text.starts(alternative[0]):
                if at + size <= len(words) and all(
                    _word_matches(alternative[k], words[at + k], stems[at + k])
                    for k in range(1, size)
                ):
                    found.append((at, at + size - 1, index))
    return sorted(found)


def _spans(compiled: _Compiled, text: _Text) -> list[tuple[int, int]]:
    """Each stretch of words, within the window, that holds every term."""
    places = _occurrences(compiled, text)
    need = len(compiled.terms)
    spans = []
    for i, (start, _, _) in enumerate(places):
        seen: dict[int, int] = {}
        for first, last, term in places[i:]:
            if last - start + 1 > max(compiled.source.window, 1) and first != start:
                break
            seen.setdefault(term, last)
            if len(seen) == need:
                spans.append((start, max(seen.values())))
                break
    return spans


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[ConcernPattern, ...]) -> tuple[_Compiled, ...]:
    return tuple(c for p in patterns if (c := _compile(p)) is not None)


def _as_pattern(pattern: str | ConcernPattern) -> ConcernPattern:
    return pattern if isinstance(pattern, ConcernPattern) else ConcernPattern(pattern)


def matching_patterns(text: str, patterns: Iterable[str | ConcernPattern]) -> list[str]:
    """The text of each concern pattern that ``text`` matches, outside any sentence that a
    "not current" pattern matches. Plain strings are concern patterns with the usual window."""
    compiled = _compiled(tuple(_as_pattern(p) for p in patterns))
    if not text or not compiled:
        return []
    passage = _Text(text)
    sentences = passage.sentences
    quiet = {
        sentences[k]
        for c in compiled
        if c.source.not_current
        for start, end in _spans(c, passage)
        for k in range(start, end + 1)
    }
    return [
        c.source.text
        for c in compiled
        if not c.source.not_current
        and any(
            not quiet.intersection(sentences[start : end + 1]) for start, end in _spans(c, passage)
        )
    ]


def describes_concern(text: str, patterns: Sequence[str | ConcernPattern]) -> bool:
    """True when ``text`` matches any concern pattern."""
    return bool(matching_patterns(text, patterns))
