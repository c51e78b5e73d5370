"""Checks on the Welsh translation of the information-sharing module.

``modules/curriculum/cy/04-information-sharing.json`` must have exactly the shape of the English
module: the same keys in the same order, the same list lengths, and the same identifiers, numbers,
booleans, URLs and block types, so that it can be installed and marked in the same way. Only the
human-readable text differs, and any HTML in it keeps the English markup tag for tag.
Plain data tests: no database and no Django settings are needed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from modules.curriculum import CURRICULUM_DIR, curriculum_files, load_curriculum

ENGLISH_PATH = CURRICULUM_DIR / "04-information-sharing.json"
WELSH_PATH = CURRICULUM_DIR / "cy" / "04-information-sharing.json"

# Keys whose string values are identifiers or addresses, never translated.
IDENTIFIER_KEYS = frozenset(
    {
        "slug",
        "topic",
        "audiences",
        "kind",
        "level",
        "type",
        "url",
        "last_reviewed",
        "next_review",
        "version",
    }
)
TAG = re.compile(r"<[^>]+>")


def load(path: Any) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def pairs(english: Any, welsh: Any, path: str = "", key: str = "") -> Iterator[tuple]:
    """Yield (path, key, english, welsh) for every leaf, failing on any difference in shape."""
    assert type(english) is type(welsh), f"{path}: {type(english)} != {type(welsh)}"
    if isinstance(english, dict):
        assert list(english) == list(welsh), f"{path}: keys differ"
        for name in english:
            yield from pairs(english[name], welsh[name], f"{path}.{name}", name)
    elif isinstance(english, list):
        assert len(english) == len(welsh), f"{path}: list lengths differ"
        for index, (left, right) in enumerate(zip(english, welsh, strict=True)):
            yield from pairs(left, right, f"{path}[{index}]", key)
    else:
        yield path, key, english, welsh


ENGLISH = load(ENGLISH_PATH)
WELSH = load(WELSH_PATH)
LEAVES = list(pairs(ENGLISH, WELSH))


def test_welsh_module_parses_and_loads_on_its_own() -> None:
    modules = load_curriculum(WELSH_PATH.parent)
    assert [module["slug"] for module in modules] == ["information-sharing"]


def test_welsh_folder_is_not_part_of_the_english_curriculum() -> None:
    assert WELSH_PATH not in curriculum_files()
    assert len(curriculum_files()) == 8


def test_same_shape_and_same_identifiers() -> None:
    assert LEAVES
    for path, key, english, welsh in LEAVES:
        if not isinstance(english, str) or key in IDENTIFIER_KEYS or not english:
            assert english == welsh, f"{path} changed: {english!r} -> {welsh!r}"


def test_lesson_slugs_and_correct_answers_unchanged() -> None:
    assert [lesson["slug"] for lesson in WELSH["lessons"]] == [
        lesson["slug"] for lesson in ENGLISH["lessons"]
    ]
    marks = [leaf[3] for leaf in LEAVES if leaf[1] == "correct"]
    assert marks == [leaf[2] for leaf in LEAVES if leaf[1] == "correct"]
    assert marks


def test_every_text_is_translated_and_keeps_its_markup() -> None:
    texts = [
        leaf
        for leaf in LEAVES
        if isinstance(leaf[2], str) and leaf[2] and leaf[1] not in IDENTIFIER_KEYS
    ]
    assert texts
    untranslated = [path for path, _, english, welsh in texts if english == welsh]
    assert not untranslated
    markup = [
        path for path, _, english, welsh in texts if TAG.findall(english) != TAG.findall(welsh)
    ]
    assert not markup
