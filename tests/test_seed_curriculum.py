"""The ``modules.curriculum`` install step: the eight real modules as published Wagtail pages,
idempotent, with sanitised HTML."""

from __future__ import annotations

import io
import json
import tempfile
import time
from pathlib import Path

import pytest
from wagtail.models import Page

from learning.seeding import InstallReport, install_steps
from modules.curriculum import AUDIENCES, TOPICS, load_curriculum, question_bank
from modules.models import (
    Audience,
    LearningOutcome,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    Topic,
)
from modules.seed_curriculum import lesson_block, seed_curriculum

from .curriculum_convert import bank_format_dir
from .factories import make_home_page

pytestmark = pytest.mark.django_db

# The shipped files, or converted copies while they are still in the earlier format.
CURRICULUM_DIR = bank_format_dir(Path(tempfile.mkdtemp(prefix="hh-curriculum-")))
CURRICULUM = load_curriculum(CURRICULUM_DIR)


@pytest.fixture
def seeded():
    home = make_home_page()
    out = io.StringIO()
    started = time.monotonic()
    created = seed_curriculum(stdout=out, directory=CURRICULUM_DIR)
    return {
        "home": home,
        "created": created,
        "output": out.getvalue(),
        "seconds": time.monotonic() - started,
    }


def test_the_step_is_registered_after_the_landing_page():
    names = [step.name for step in install_steps()]
    assert "modules.curriculum" in names
    assert names.index("modules.landing") < names.index("modules.curriculum")


def test_seed_builds_the_real_curriculum(seeded):
    """One seed, checked from the catalogue down (seeding takes seconds, so it runs once)."""
    assert seeded["seconds"] < 60
    assert "Module 3 of 8: Family justice processes" in seeded["output"]
    _assert_catalogue(seeded["home"])
    modules = ModulePage.objects.live().filter(locale__language_code="en-gb").order_by("path")
    assert modules.count() == 8
    assert len(seeded["created"]) == 8
    assert [m.title for m in modules] == [m["title"] for m in CURRICULUM]
    for data in CURRICULUM:
        module = ModulePage.objects.get(slug=data["slug"], locale__language_code="en-gb")
        _assert_module_fields(module, data)
        _assert_lessons(module, data)
    _assert_taxonomies()
    _assert_lesson_html_is_clean()


def _assert_catalogue(home):
    index = ModuleIndexPage.objects.get(locale__language_code="en-gb")  # the English catalogue
    assert index.title == "Modules"
    assert index.slug == "modules"
    assert index.live
    assert index.intro.startswith("<p>")
    assert index.get_parent().specific == home
    assert ModulePage.objects.child_of(index).count() == 8


def _assert_module_fields(module, data):
    assert module.live and not module.has_unpublished_changes
    assert module.summary == data["summary"]
    assert module.estimated_minutes == data["estimated_minutes"]
    assert module.cpd_minutes == data["cpd_minutes"]
    assert module.content_note == data["content_note"]
    assert module.pass_mark == data["pass_mark"]
    gov = data["governance"]
    assert module.content_owner == gov["content_owner"]
    assert module.next_review_date.isoformat() == gov["next_review"]
    assert module.last_reviewed_date.isoformat() == gov["last_reviewed"]
    assert (module.version, module.version_note) == (gov["version"], gov["version_note"])
    assert [t.slug for t in module.topics.all()] == [data["topic"]]
    assert sorted(a.slug for a in module.audiences.all()) == sorted(data["audiences"])
    outcomes = list(
        LearningOutcome.objects.filter(page=module)
        .order_by("sort_order")
        .values_list("text", flat=True)
    )
    assert outcomes == data["learning_outcomes"]
    assert len(outcomes) >= 1
    bank = question_bank(data)
    assert module.ask_per_outcome == bank["ask_per_outcome"]
    assert len(module.final_check) == len(bank["questions"])
    assert all(b.block_type == "knowledge_check" for b in module.final_check)
    stored = [
        (b.value["question"], b.value["outcome"], b.value["level"], b.value["kind"])
        for b in module.final_check
    ]
    assert stored == [
        (q["question"], q["outcome"], q["level"], q["kind"]) for q in bank["questions"]
    ]
    assert len(module.references) == len(data["references"])
    expected_qualifies = "HOPE Box delivery" if data["slug"] == "hope-boxes" else ""
    assert module.qualifies_for == expected_qualifies
    # The live revision holds the same content as the page row.
    assert module.live_revision is not None
    assert module.live_revision.as_object().title == data["title"]


def _assert_lessons(module, data):
    lessons = list(
        LessonPage.objects.child_of(module).live().select_related("live_revision").order_by("path")
    )
    assert 3 <= len(lessons) <= 6, data["slug"]
    assert [lesson.slug for lesson in lessons] == [lesson["slug"] for lesson in data["lessons"]]
    for lesson, source in zip(lessons, data["lessons"], strict=True):
        assert lesson.live and lesson.live_revision is not None
        assert lesson.title == source["title"]
        assert lesson.summary == source["summary"]
        assert lesson.estimated_minutes == source["estimated_minutes"]
        assert len(lesson.knowledge_checks) >= 1, lesson.slug
        assert [b.block_type for b in lesson.body] == [b["type"] for b in source["body"]]
        check = lesson.knowledge_checks[0]
        assert check.id  # answers are keyed by block id
        source_check = next(b for b in source["body"] if b["type"] == "knowledge_check")
        assert check.value["level"] == source_check["value"]["level"]
        assert sum(1 for option in check.value["options"] if option["correct"]) >= 1


def _assert_taxonomies():
    assert sorted(Topic.objects.values_list("slug", flat=True)) == sorted(t["slug"] for t in TOPICS)
    assert sorted(Audience.objects.values_list("slug", flat=True)) == sorted(
        a["slug"] for a in AUDIENCES
    )
    assert Topic.objects.get(slug="hope-boxes").modules.get().slug == "hope-boxes"


def _assert_lesson_html_is_clean():
    rich_text_blocks = 0
    for lesson in LessonPage.objects.all():
        for block in lesson.body:
            if block.block_type == "rich_text":
                html = block.value.source
                rich_text_blocks += 1
            elif block.block_type == "case_scenario":
                html = block.value["scenario"].source
            elif block.block_type == "pause":
                html = block.value["text"].source
            else:
                continue
            assert "<script" not in html.lower()
            assert "javascript:" not in html.lower()
            assert "onerror" not in html.lower() and "onclick" not in html.lower()
        assert "<script" not in str(lesson.body.render_as_block()).lower()
    assert rich_text_blocks >= 8


def test_hostile_html_in_the_json_is_cleaned_before_it_is_stored():
    kind, value = lesson_block(
        {
            "type": "rich_text",
            "value": '<p onclick="x()">Hi<script>alert(1)</script> '
            '<a href="javascript:alert(1)">bad</a> <a href="https://example.org/">good</a></p>',
        }
    )
    assert kind == "rich_text"
    assert "<script" not in value
    assert "onclick" not in value
    assert "javascript:" not in value
    assert '<a href="https://example.org/"' in value

    kind, value = lesson_block(
        {
            "type": "case_scenario",
            "value": {
                "title": "A",
                "scenario": "<p>Text</p><img src=x onerror=alert(1)>",
                "questions": ["Why?"],
            },
        }
    )
    assert value["scenario"] == "<p>Text</p>"

    with pytest.raises(ValueError, match="Unknown lesson block type"):
        lesson_block({"type": "iframe", "value": "<iframe></iframe>"})


def test_a_second_run_creates_nothing_and_keeps_editors_changes(seeded):
    module = ModulePage.objects.get(slug="family-justice-processes")
    module.title = "Family justice processes (revised by an editor)"
    module.save_revision().publish()
    counts = (
        Page.objects.count(),
        Topic.objects.count(),
        Audience.objects.count(),
        LearningOutcome.objects.count(),
    )
    revisions = module.revisions.count()

    out = io.StringIO()
    assert seed_curriculum(stdout=out, directory=CURRICULUM_DIR) == []

    assert (
        Page.objects.count(),
        Topic.objects.count(),
        Audience.objects.count(),
        LearningOutcome.objects.count(),
    ) == counts
    module.refresh_from_db()
    assert module.title == "Family justice processes (revised by an editor)"
    assert module.revisions.count() == revisions
    assert "Module 3 of 8: Family justice processes" in out.getvalue()

    # A module an editor has deleted stays deleted; the summary says so.
    ModulePage.objects.get(slug="hope-boxes").delete()
    before = Page.objects.count()
    report = InstallReport()
    assert seed_curriculum(directory=CURRICULUM_DIR, report=report) == []
    assert Page.objects.count() == before
    assert any("HOPE Boxes" in note and "deleted by an editor" in note for note in report.notes)


def test_a_module_still_in_the_earlier_format_is_refused_before_anything_is_written(tmp_path):
    make_home_page()
    old = load_curriculum(CURRICULUM_DIR)[0]
    old["end_of_module_check"] = old["end_of_module_check"]["questions"]
    (tmp_path / "01-old.json").write_text(json.dumps(old), encoding="utf-8")
    with pytest.raises(ValueError, match="question-bank format"):
        seed_curriculum(directory=tmp_path)
    assert not ModulePage.objects.exists()
