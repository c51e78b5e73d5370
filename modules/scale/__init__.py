"""Modules' scale steps (the curriculum, generated modules and lessons, progress rows) and the
benchmark pages they serve, registered from ``ModulesConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from learning.scale.plan import Context
from learning.scale.registry import register_scale_page, register_scale_step, register_scale_tables

LESSON_MODULE = 11  # a generated module the practitioner is part-way through
LESSON_SLUG = "lesson-2"


def seed_modules(ctx: Context) -> None:
    """The generated modules, then the curriculum's in front of them (the progress step picks
    from both); the bench lesson is in a generated module."""
    from modules.scale.pages import load_curriculum_modules, module_slug, seed_generated_modules

    seed_generated_modules(ctx)
    ctx.generated_ids = {m.id for m in ctx.modules}
    ctx.modules = load_curriculum_modules(ctx) + ctx.modules
    ctx.bench["module_slug"] = module_slug(LESSON_MODULE)
    ctx.bench["lesson_slug"] = LESSON_SLUG


def _tables():
    from modules.models import (
        Assignment,
        Certificate,
        CheckAttempt,
        ConfidenceRating,
        Enrolment,
        LearningOutcome,
        LessonCompletion,
        LessonPage,
        ModuleCheckAttempt,
        ModulePage,
    )

    return [
        # The generated pages' own tables: a foreign-key check per row would use a plan made
        # when the page table was tiny (a sequential scan each time).
        ModulePage,
        LessonPage,
        LearningOutcome,
        ModulePage.topics.through,
        Enrolment,
        LessonCompletion,
        CheckAttempt,
        ModuleCheckAttempt,
        ConfidenceRating,
        Certificate,
        Assignment,
    ]


def register() -> None:
    from modules.scale.pages import seed_curriculum_once
    from modules.scale.progress import seed_progress

    register_scale_tables("modules", _tables)
    # The curriculum is saved through Wagtail, before any foreign key is dropped.
    register_scale_step("modules.curriculum", seed_curriculum_once, order=10)
    register_scale_step(
        "modules.pages", seed_modules, order=30, bench_keys=("module_slug", "lesson_slug")
    )
    register_scale_step("modules.progress", seed_progress, order=40)
    register_scale_page("landing", lambda bench: "/", persona=None, order=10)
    register_scale_page(
        "catalogue", lambda bench: reverse("module_catalogue"), persona=None, order=20
    )
    register_scale_page(
        "lesson",
        lambda bench: reverse("lesson_detail", args=[bench["module_slug"], bench["lesson_slug"]]),
        persona="practitioner",
        order=30,
    )
    register_scale_page(
        "my_learning", lambda bench: reverse("my_learning"), persona="practitioner", order=40
    )
