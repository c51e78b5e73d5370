"""The Welsh translations of shipped modules: for each module with a file of the same name in
``modules/curriculum/cy/``, its Welsh module page and lessons, installed by
``manage.py install_curriculum`` right after the English module.

A Welsh file has exactly the English file's structure and keys; only the words differ. Every
structural value (slugs, topics, audiences, minutes, pass mark, which options are right, the
order of blocks, lessons, questions and options) is taken from the English file, so each
knowledge check in the Welsh lesson keeps the English check's block id and option order: an
answer given in Welsh is recorded against the English lesson's check and marked the same way.
A Welsh file whose shape differs from the English one is refused before anything is written.

Each Welsh page goes through ``modules.install.install_page`` like an English one (its own key
and fingerprint), so a translator's changes in the admin are never overwritten: a changed
shipped translation is submitted for review instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wagtail.models import Locale

from learning.seeding import InstallReport
from modules.install import Shipped, install_page
from modules.models import LessonPage, ModulePage
from modules.seed_curriculum import (
    LESSON_FIELDS,
    MODULE_FIELDS,
    MODULE_RELATIONS,
    QUALIFIES_FOR,
    _lesson_page,
    _module_page,
)

WELSH = "cy"
WELSH_DIR = "cy"
# Keys whose values are the same in both languages: always read from the English file.
STRUCTURAL = frozenset(
    {
        "slug",
        "topic",
        "topics",
        "audiences",
        "estimated_minutes",
        "cpd_minutes",
        "pass_mark",
        "correct",
        "kind",
        "level",
        "outcome",
        "type",
        "url",
        "ask_per_outcome",
        "last_reviewed",
        "next_review",
        "version",
    }
)


def welsh_file(directory: Path, english_file: Path) -> Path | None:
    path = directory / WELSH_DIR / english_file.name
    return path if path.is_file() else None


def _shape_error(english: Any, welsh: Any, where: str) -> str | None:
    if isinstance(english, dict):
        if not isinstance(welsh, dict) or set(english) != set(welsh):
            return f"{where}: the keys differ from the English file"
        for key in english:
            error = _shape_error(english[key], welsh[key], f"{where}.{key}")
            if error:
                return error
        return None
    if isinstance(english, list):
        if not isinstance(welsh, list) or len(english) != len(welsh):
            return f"{where}: a different number of items from the English file"
        for index, (a, b) in enumerate(zip(english, welsh, strict=True)):
            error = _shape_error(a, b, f"{where}[{index}]")
            if error:
                return error
    return None


def merged(english: Any, welsh: Any, key: str = "") -> Any:
    """The Welsh words on the English structure (see the module docstring)."""
    if key in STRUCTURAL:
        return english
    if isinstance(english, dict):
        return {k: merged(v, welsh[k], k) for k, v in english.items()}
    if isinstance(english, list):
        return [merged(a, b, key) for a, b in zip(english, welsh, strict=True)]
    return welsh


def load_welsh(english: dict[str, Any], path: Path) -> dict[str, Any]:
    """The Welsh module from ``path``, checked against the English one and merged onto it."""
    with path.open(encoding="utf-8") as handle:
        welsh = json.load(handle)
    error = _shape_error(english, welsh, path.name)
    if error:
        raise ValueError(f"Welsh curriculum file {error}.")
    return merged(english, welsh)


def install_welsh_module(
    english_module: ModulePage,
    data: dict[str, Any],
    topics,
    audiences,
    review_date,
    report: InstallReport,
) -> ModulePage | None:
    """Install (or update) the Welsh translation of ``english_module`` and its lessons from
    ``data`` (the merged Welsh module). Lessons are paired with the English ones by slug."""
    locale, _created = Locale.objects.get_or_create(language_code=WELSH)
    slug = data["slug"]
    source = {k: v for k, v in data.items() if k != "lessons"}
    module = install_page(
        report,
        parent=None,
        shipped=Shipped(
            key=f"module:{slug}:{WELSH}",
            label=f"Module (Cymraeg): {data['title']}",
            source={**source, "qualifies_for": QUALIFIES_FOR.get(slug, "")},
            build=lambda: _module_page(data, topics, audiences, review_date),
            fields=(*MODULE_FIELDS, "slug"),
            relations=MODULE_RELATIONS,
        ),
        existing=ModulePage.objects.filter(
            translation_key=english_module.translation_key, locale=locale
        ).first(),
        translation_of=(english_module, locale),
    )
    if module is None:
        return None
    english_lessons = {
        lesson.slug: lesson
        for lesson in LessonPage.objects.child_of(english_module).filter(
            slug__in=[lesson["slug"] for lesson in data["lessons"]]
        )
    }
    for lesson in data["lessons"]:
        english_lesson = english_lessons.get(lesson["slug"])
        if english_lesson is None:
            report.notes.append(
                f"Lesson (Cymraeg): {lesson['title']}: the English lesson is not there, so its "
                "translation is not installed."
            )
            continue
        install_page(
            report,
            parent=None,
            shipped=Shipped(
                key=f"lesson:{slug}/{lesson['slug']}:{WELSH}",
                label=f"Lesson (Cymraeg): {lesson['title']} ({data['title']})",
                source=lesson,
                build=lambda lesson=lesson: _lesson_page(slug, lesson),
                fields=(*LESSON_FIELDS, "slug"),
            ),
            existing=LessonPage.objects.filter(
                translation_key=english_lesson.translation_key, locale=locale
            ).first(),
            translation_of=(english_lesson, locale),
        )
    return module
