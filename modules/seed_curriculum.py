"""Install step ``modules.curriculum``: the real curriculum, from ``modules/curriculum/*.json``,
as published Wagtail pages. Run by ``manage.py install_curriculum`` (and so by ``seed_demo``)
after the landing page.

Idempotent: topics and audiences are matched by slug and never changed once there, except
that one without a Welsh name is given its shipped one (an editor's Welsh name is kept); the
catalogue, each module and each lesson go through ``modules.install.install_page``, which
publishes shipped changes only to pages nobody has changed, and otherwise submits them for
review, so that editors' revisions are never overwritten. Every piece of HTML passes through
``learning.sanitise``.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from learning.sanitise import safe_url, sanitise_html
from learning.seeding import InstallReport
from modules.curriculum import (
    AUDIENCES,
    CURRICULUM_DIR,
    TOPICS,
    curriculum_files,
    load_curriculum,
    question_bank,
)
from modules.install import Shipped, install_page
from modules.models import (
    Audience,
    HomePage,
    LearningOutcome,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    Topic,
)
from modules.pages.translation import SOURCE_LANGUAGE
from modules.seed import seed_landing_page

CATALOGUE = {
    "title": "Modules",
    "slug": "modules",
    "intro": (
        "<p>Short modules for staff who support women and birthing people separated from their "
        "baby at birth, or at risk of it. Each one has a knowledge check in every lesson, time "
        "to reflect, and counts towards your CPD.</p>"
    ),
}
CONTENT_OWNER = "Holding Hope curriculum team"
QUALIFIES_FOR = {"hope-boxes": "HOPE Box delivery"}
REVIEWERS_GROUP = "Content reviewers"

# Where each JSON block's HTML lives, if it has any (path of keys inside the block value).
HTML_FIELDS: dict[str, tuple[str, ...]] = {
    "case_scenario": ("scenario",),
    "pause": ("text",),
}
BLOCK_TYPES = frozenset(
    {
        "rich_text",
        "key_points",
        "quote",
        "case_scenario",
        "knowledge_check",
        "reflection_prompt",
        "pause",
        "further_reading",
    }
)


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message if message.endswith("\n") else message + "\n")


def _clean(html: str) -> str:
    return str(sanitise_html(html, profile="rich"))


def _block_id(*parts: str) -> str:
    """A stable block id, so a fresh seed gives knowledge checks the same ids every time."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "holdinghope:" + "/".join(parts)))


def _reference(data: dict[str, Any]) -> dict[str, str]:
    return {"citation": data["citation"], "url": safe_url(data.get("url"))}


def _knowledge_check(data: dict[str, Any], *, in_bank: bool = False) -> dict[str, Any]:
    """A question as a KnowledgeCheckBlock (or, in a bank, BankQuestionBlock) raw value."""
    value = {
        "question": data["question"],
        "kind": data["kind"],
        "level": data["level"],
        "options": [
            {
                "text": option["text"],
                "correct": bool(option.get("correct")),
                "feedback": option.get("feedback", ""),
            }
            for option in data["options"]
        ],
        "explanation": data.get("explanation", ""),
    }
    if in_bank:
        value["outcome"] = int(data["outcome"])
    return value


def lesson_block(block: dict[str, Any]) -> tuple[str, Any]:
    """Map one JSON block to a LESSON_BLOCKS (type, raw value) pair, HTML sanitised."""
    kind, value = block["type"], block["value"]
    if kind not in BLOCK_TYPES:
        raise ValueError(f"Unknown lesson block type in the curriculum: {kind!r}")
    if kind == "rich_text":
        return kind, _clean(value)
    if kind == "knowledge_check":
        return kind, _knowledge_check(value)
    if kind == "further_reading":
        return kind, {"references": [_reference(ref) for ref in value["references"]]}
    if kind == "key_points":
        return kind, {"heading": value.get("heading") or "Key points", "points": value["points"]}
    value = dict(value)
    for field in HTML_FIELDS.get(kind, ()):
        value[field] = _clean(value[field])
    return kind, value


def _stream(blocks: list[tuple[str, Any]], *id_parts: str) -> list[dict[str, Any]]:
    return [
        {"type": kind, "value": value, "id": _block_id(*id_parts, str(index))}
        for index, (kind, value) in enumerate(blocks)
    ]


def _welsh_name(item: Topic | Audience, data: dict[str, str]) -> None:
    """Give a shipped topic or audience its shipped Welsh name if it has none yet (an editor's
    Welsh name is kept) and no other row of its kind has that name."""
    welsh = data.get("name_cy", "")
    if item.name_cy or not welsh or type(item).objects.filter(name_cy=welsh).exists():
        return
    item.name_cy = welsh
    item.save(update_fields=["name_cy"])


def _taxonomies(stdout) -> tuple[dict[str, Topic], dict[str, Audience]]:
    topics: dict[str, Topic] = {}
    for order, data in enumerate(TOPICS):
        topics[data["slug"]], _ = Topic.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data.get("description", ""),
                "sort_order": order,
            },
        )
        _welsh_name(topics[data["slug"]], data)
    audiences: dict[str, Audience] = {}
    for data in AUDIENCES:
        audiences[data["slug"]], _ = Audience.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"]}
        )
        _welsh_name(audiences[data["slug"]], data)
    _say(stdout, f"Topics: {len(topics)}; audiences: {len(audiences)}.")
    return topics, audiences


def _catalogue(report: InstallReport) -> ModuleIndexPage:
    home = HomePage.objects.filter(
        locale__language_code=SOURCE_LANGUAGE
    ).first() or seed_landing_page(report=report)
    index = install_page(
        report,
        parent=home,
        shipped=Shipped(
            key="catalogue",
            label="The module catalogue",
            source=CATALOGUE,
            build=lambda: ModuleIndexPage(
                title=CATALOGUE["title"], slug=CATALOGUE["slug"], intro=_clean(CATALOGUE["intro"])
            ),
            fields=("title", "intro"),
        ),
        existing=ModuleIndexPage.objects.filter(locale__language_code=SOURCE_LANGUAGE).first(),
    )
    return index or ModuleIndexPage.objects.get(locale__language_code=SOURCE_LANGUAGE)


def _governance(data: dict, review_date) -> dict:
    """Who owns the module, when it was last reviewed and is next due, and its version, from
    the module's "governance" object (older files without one get the owner and a year)."""
    gov = data.get("governance") or {}
    return {
        "content_owner": gov.get("content_owner") or CONTENT_OWNER,
        "last_reviewed_date": (
            datetime.date.fromisoformat(gov["last_reviewed"]) if gov.get("last_reviewed") else None
        ),
        "next_review_date": (
            datetime.date.fromisoformat(gov["next_review"])
            if gov.get("next_review")
            else review_date
        ),
        "version": gov.get("version", ""),
        "version_note": gov.get("version_note", ""),
    }


MODULE_FIELDS = (
    "title",
    "summary",
    "estimated_minutes",
    "cpd_minutes",
    "content_note",
    "pass_mark",
    "final_check",
    "ask_per_outcome",
    "references",
    "content_owner",
    "last_reviewed_date",
    "next_review_date",
    "version",
    "version_note",
    "qualifies_for",
)
MODULE_RELATIONS = ("topics", "audiences", "learning_outcomes")
LESSON_FIELDS = ("title", "summary", "estimated_minutes", "content_note", "body")


def _module_page(data, topics, audiences, review_date) -> ModulePage:
    """The module as shipped (unsaved, without its lessons)."""
    slug = data["slug"]
    bank = question_bank(data)
    topic_slugs = data.get("topics") or [data["topic"]]
    module = ModulePage(
        title=data["title"],
        slug=slug,
        summary=data["summary"],
        estimated_minutes=data["estimated_minutes"],
        cpd_minutes=data["cpd_minutes"],
        content_note=data.get("content_note", ""),
        pass_mark=data.get("pass_mark", 70),
        final_check=_stream(
            [("knowledge_check", _knowledge_check(q, in_bank=True)) for q in bank["questions"]],
            slug,
            "end-of-module-check",
        ),
        ask_per_outcome=bank["ask_per_outcome"],
        references=_stream(
            [("reference", _reference(ref)) for ref in data.get("references", [])],
            slug,
            "references",
        ),
        **_governance(data, review_date),
        qualifies_for=QUALIFIES_FOR.get(slug, ""),
    )
    module.topics = [topics[s] for s in topic_slugs]
    module.audiences = [audiences[s] for s in data.get("audiences", [])]
    module.learning_outcomes = [
        LearningOutcome(text=text, sort_order=order)
        for order, text in enumerate(data["learning_outcomes"])
    ]
    return module


def _lesson_page(module_slug: str, lesson: dict) -> LessonPage:
    return LessonPage(
        title=lesson["title"],
        slug=lesson["slug"],
        summary=lesson.get("summary", ""),
        estimated_minutes=lesson.get("estimated_minutes", 10),
        content_note=lesson.get("content_note", ""),
        body=_stream(
            [lesson_block(block) for block in lesson["body"]], module_slug, lesson["slug"]
        ),
    )


def _module(index, data, topics, audiences, review_date, report) -> ModulePage | None:
    slug = data["slug"]
    source = {k: v for k, v in data.items() if k != "lessons"}
    module = install_page(
        report,
        parent=index,
        shipped=Shipped(
            key=f"module:{slug}",
            label=f"Module: {data['title']}",
            source={**source, "qualifies_for": QUALIFIES_FOR.get(slug, "")},
            build=lambda: _module_page(data, topics, audiences, review_date),
            fields=MODULE_FIELDS,
            relations=MODULE_RELATIONS,
        ),
        existing=ModulePage.objects.child_of(index).filter(slug=slug).first(),
    )
    if module is None:
        return None
    for lesson in data["lessons"]:
        install_page(
            report,
            parent=module,
            shipped=Shipped(
                key=f"lesson:{slug}/{lesson['slug']}",
                label=f"Lesson: {lesson['title']} ({data['title']})",
                source=lesson,
                build=lambda lesson=lesson: _lesson_page(slug, lesson),
                fields=LESSON_FIELDS,
            ),
            existing=LessonPage.objects.child_of(module).filter(slug=lesson["slug"]).first(),
        )
    return module


def seed_curriculum(
    stdout=None, *, directory: Path = CURRICULUM_DIR, report: InstallReport | None = None
) -> list[ModulePage]:
    """Install the curriculum modules from ``directory`` (see ``modules.install``): the
    taxonomies, the catalogue, each module and its lessons. Returns the modules created by this
    run; ``report`` collects what happened to every page."""
    report = report if report is not None else InstallReport()
    modules = load_curriculum(directory)
    for data in modules:
        question_bank(data)  # the bank format, checked before anything is written
    with transaction.atomic():
        topics, audiences = _taxonomies(stdout)
        index = _catalogue(report)
    from modules.seed_curriculum_cy import install_welsh_module, load_welsh, welsh_file

    files = curriculum_files(directory)
    welsh = {}
    for path, data in zip(files, modules, strict=True):
        found = welsh_file(directory, path)
        if found is not None:
            welsh[data["slug"]] = load_welsh(data, found)  # checked before anything is written
    review_date = timezone.localdate() + datetime.timedelta(days=365)
    created: list[ModulePage] = []
    for number, data in enumerate(modules, start=1):
        _say(stdout, f"Module {number} of {len(modules)}: {data['title']}")
        before = len(report.created)
        module = _module(index, data, topics, audiences, review_date, report)
        if module is not None and f"Module: {data['title']}" in report.created[before:]:
            created.append(module)
        if module is not None and data["slug"] in welsh:
            _say(stdout, f"Module {number} in Welsh: {welsh[data['slug']]['title']}")
            install_welsh_module(
                module, welsh[data["slug"]], topics, audiences, review_date, report
            )
    return created


def install_curriculum_step(report: InstallReport) -> None:
    """Install step ``modules.curriculum``."""
    seed_curriculum(report=report)
