"""Seed step ``modules.curriculum``: the real curriculum, from ``modules/curriculum/*.json``, as
published Wagtail pages. Run by ``manage.py seed_demo`` after the landing page.

Idempotent: topics and audiences are matched by slug, the catalogue page by slug, and a module
that already exists (by slug) is left exactly as it is, lessons and all, so that editors'
revisions are never overwritten. Every piece of HTML passes through ``learning.sanitise``.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from learning.sanitise import safe_url, sanitise_html
from modules.curriculum import AUDIENCES, CURRICULUM_DIR, TOPICS, load_curriculum, question_bank
from modules.models import (
    Audience,
    HomePage,
    LearningOutcome,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    Topic,
)

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
DEMO_REVIEWER_EMAIL = "admin@demo.holdinghope.test"

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


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


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
    audiences: dict[str, Audience] = {}
    for data in AUDIENCES:
        audiences[data["slug"]], _ = Audience.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"]}
        )
    _say(stdout, f"Topics: {len(topics)}; audiences: {len(audiences)}.")
    return topics, audiences


def _catalogue(stdout) -> ModuleIndexPage:
    index = ModuleIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        from modules.seed import seed_landing_page

        home = seed_landing_page(stdout=stdout)
    index = ModuleIndexPage(
        title=CATALOGUE["title"], slug=CATALOGUE["slug"], intro=_clean(CATALOGUE["intro"])
    )
    _publish(home, index)
    _say(stdout, "Created the module catalogue at /modules/.")
    return index


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


def _module(index, data, topics, audiences, review_date) -> ModulePage:
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
    _publish(index, module)
    for lesson in data["lessons"]:
        _publish(
            module,
            LessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                summary=lesson.get("summary", ""),
                estimated_minutes=lesson.get("estimated_minutes", 10),
                content_note=lesson.get("content_note", ""),
                body=_stream(
                    [lesson_block(block) for block in lesson["body"]], slug, lesson["slug"]
                ),
            ),
        )
    return module


def seed_demo_reviewer(stdout=None) -> None:
    """The demo superuser reviews content (superusers can publish anyway); nobody else."""
    admin = get_user_model().objects.filter(email=DEMO_REVIEWER_EMAIL, is_superuser=True).first()
    group = Group.objects.filter(name=REVIEWERS_GROUP).first()
    if admin is not None and group is not None:
        admin.groups.add(group)
        _say(stdout, f"{DEMO_REVIEWER_EMAIL} is in {REVIEWERS_GROUP}.")


def seed_curriculum(stdout=None, *, directory: Path = CURRICULUM_DIR) -> list[ModulePage]:
    """Import the eight curriculum modules as published pages (idempotent). Returns the
    modules created by this run. ``directory`` holds the module JSON files."""
    modules = load_curriculum(directory)
    for data in modules:
        question_bank(data)  # the bank format, checked before anything is written
    with transaction.atomic():
        topics, audiences = _taxonomies(stdout)
        index = _catalogue(stdout)
    existing = set(ModulePage.objects.child_of(index).values_list("slug", flat=True))
    review_date = timezone.localdate() + datetime.timedelta(days=365)
    created: list[ModulePage] = []
    for number, data in enumerate(modules, start=1):
        progress = f"Module {number} of {len(modules)}: {data['title']}"
        if data["slug"] in existing:
            _say(stdout, f"{progress} (already there, left as it is)")
            continue
        _say(stdout, progress)
        with transaction.atomic():
            created.append(_module(index, data, topics, audiences, review_date))
    seed_demo_reviewer(stdout)
    return created
