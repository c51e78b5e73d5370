"""The curriculum (the project's own seeding, loaded once) and the generated modules: published
Wagtail pages written straight into the tree (valid treebeard paths, live, no revisions: the
module and lesson views serve live pages and need none)."""

from __future__ import annotations

import logging
import uuid

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from learning.scale.copy import max_id
from learning.scale.plan import LESSONS_PER_MODULE, OUTCOMES_PER_MODULE, Context, ModuleInfo
from modules.models import LearningOutcome, LessonPage, ModuleIndexPage, ModulePage, Topic
from modules.pages.translation import SOURCE_LANGUAGE
from modules.seed import seed_landing_page
from modules.seed_curriculum import seed_curriculum

SUBJECTS = (
    "Trauma-informed care",
    "Family justice processes",
    "Information-sharing",
    "Working with HOPE Boxes",
    "Grief after separation",
    "Inter-agency working",
    "Staying well at work",
    "Pre-birth assessment",
)
LESSON_TEXT = (
    "<p>This lesson sets out what good practice looks like, why it matters to the women and "
    "birthing people you support, and what to do when it is hard.</p>"
)


def module_slug(i: int) -> str:
    return f"bench-module-{i:04d}"


def _block_id(*parts) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "holdinghope-bench:" + "/".join(map(str, parts))))


def _check(question: str) -> dict:
    return {
        "question": question,
        "kind": "single",
        "options": [
            {"text": "Ask the person what would help", "correct": True, "feedback": "Yes."},
            {"text": "Decide for them", "correct": False, "feedback": "Look again."},
            {"text": "Wait and see", "correct": False, "feedback": "Look again."},
        ],
        "explanation": "Asking keeps the person at the centre of their care.",
    }


def seed_curriculum_once(ctx: Context) -> None:
    ctx.progress.begin("curriculum (the project's own seeding)", 1)
    # Wagtail logs every page it creates and publishes; the progress line says enough.
    logger = logging.getLogger("wagtail")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        seed_landing_page()
        seed_curriculum()
    finally:
        logger.setLevel(level)
    ctx.progress.advance(1)
    ctx.progress.end()


def seed_generated_modules(ctx: Context) -> None:
    total = ctx.counts.generated_modules
    ctx.progress.begin("generated modules (pages)", total * (1 + LESSONS_PER_MODULE))
    index = ModuleIndexPage.objects.get(locale__language_code=SOURCE_LANGUAGE)
    topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True))
    module_ct = ContentType.objects.get_for_model(ModulePage).pk
    lesson_ct = ContentType.objects.get_for_model(LessonPage).pk
    last = index.get_children().order_by("-path").values_list("path", flat=True).first()
    first_step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
    page_id = max_id(Page)
    outcome_id = max_id(LearningOutcome)
    published = ctx.ago(200)
    review = ctx.today.replace(year=ctx.today.year + 1, day=1)
    common = {
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": published,
        "last_published_at": published,
        "latest_revision_created_at": published,
        "locale_id": index.locale_id,
    }
    modules, lessons, outcomes, topic_links = [], [], [], []
    for i in range(total):
        page_id += 1
        slug = module_slug(i)
        subject = SUBJECTS[i % len(SUBJECTS)]
        path = Page._get_path(index.path, index.depth + 1, first_step + i)
        module = ModulePage(
            id=page_id,
            page_ptr_id=page_id,
            title=f"{subject}: part {i + 1}",
            draft_title=f"{subject}: part {i + 1}",
            slug=slug,
            path=path,
            depth=index.depth + 1,
            numchild=LESSONS_PER_MODULE,
            url_path=f"{index.url_path}{slug}/",
            content_type_id=module_ct,
            translation_key=uuid.UUID(_block_id("module", i)),
            summary=f"A short module on {subject.lower()} for staff in maternity, mental "
            "health and social care.",
            estimated_minutes=50,
            cpd_minutes=60,
            pass_mark=70,
            final_check=[
                {"type": "knowledge_check", "value": _check("What helps most?"), "id": _block_id(i)}
            ],
            references=[],
            content_owner="Holding Hope curriculum team",
            next_review_date=review,
            **common,
        )
        modules.append(module)
        info = ModuleInfo(module.id, module.title, 60, [], [], [])
        for n in range(OUTCOMES_PER_MODULE):
            outcome_id += 1
            outcomes.append(
                (
                    outcome_id,
                    n,
                    module.id,
                    f"Outcome {n + 1} of {module.title}",
                    uuid.UUID(_block_id("outcome", i, n)),
                    index.locale_id,
                )
            )
            info.outcomes.append(outcome_id)
        topic_links.append((module.id, topics[i % len(topics)]))
        for n in range(1, LESSONS_PER_MODULE + 1):
            page_id += 1
            check_id = _block_id(i, n)
            lesson_slug = f"lesson-{n}"
            body = [
                {"type": "rich_text", "value": LESSON_TEXT, "id": _block_id(i, n, "text")},
                {"type": "knowledge_check", "value": _check(f"Question {n}?"), "id": check_id},
            ]
            lessons.append(
                LessonPage(
                    id=page_id,
                    page_ptr_id=page_id,
                    title=f"Lesson {n}",
                    draft_title=f"Lesson {n}",
                    slug=lesson_slug,
                    path=Page._get_path(path, index.depth + 2, n),
                    depth=index.depth + 2,
                    numchild=0,
                    url_path=f"{module.url_path}{lesson_slug}/",
                    content_type_id=lesson_ct,
                    translation_key=uuid.UUID(_block_id("lesson", i, n)),
                    summary="",
                    estimated_minutes=10,
                    content_note="",
                    body=body,
                    **common,
                )
            )
            info.lessons.append(page_id)
            info.checks.append(check_id)
        ctx.modules.append(info)
        if len(lessons) >= 5000:
            _flush(ctx, modules, lessons)
            modules, lessons = [], []
    _flush(ctx, modules, lessons)
    writer = ctx.writer
    writer.write(
        LearningOutcome,
        ["id", "sort_order", "page_id", "text", "translation_key", "locale_id"],
        outcomes,
    )
    through = ModulePage.topics.through
    base = max_id(through)
    writer.write(
        through,
        ["id", "modulepage_id", "topic_id"],
        ((base + n, m, t) for n, (m, t) in enumerate(topic_links, start=1)),
    )
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + total)
    ctx.progress.end()


def _flush(ctx: Context, modules: list, lessons: list) -> None:
    writer = ctx.writer
    writer.write_instances(Page, modules + lessons)
    writer.write_instances(ModulePage, modules)
    writer.write_instances(LessonPage, lessons)
    ctx.progress.advance(len(modules) + len(lessons))


def load_curriculum_modules(ctx: Context) -> list[ModuleInfo]:
    """The curriculum's modules as ``ModuleInfo`` (first in the list, in tree order)."""
    generated = {m.id for m in ctx.modules}
    found = []
    for module in (
        ModulePage.objects.live().filter(locale__language_code=SOURCE_LANGUAGE).order_by("path")
    ):
        if module.pk in generated:
            continue
        lessons = list(
            LessonPage.objects.live().child_of(module).order_by("path").only("pk", "body")
        )
        checks = [
            next((b.id for b in les.body if b.block_type == "knowledge_check"), "")
            for les in lessons
        ]
        outcomes = list(
            LearningOutcome.objects.filter(page=module)
            .order_by("sort_order", "pk")
            .values_list("pk", flat=True)
        )
        if lessons and outcomes:
            found.append(
                ModuleInfo(
                    module.pk,
                    module.title,
                    module.cpd_minutes,
                    [les.pk for les in lessons],
                    checks,
                    outcomes,
                )
            )
    return found
