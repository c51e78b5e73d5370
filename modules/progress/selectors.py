"""Reads for modules and progress. Each returns what a page needs in one query; progress is
counted on the lesson-completion table, never by walking StreamField blocks."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Length, Substr

from modules.models import (
    CheckAttempt,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
)
from modules.pages.embeds import lesson_media_prefetch

PATH_STEP = 4  # treebeard's step length for Wagtail page paths


def lesson_blocks(lesson: LessonPage) -> list:
    """The lesson's blocks, with their images' renditions and their videos' stored players
    read in bulk (two queries, however many images and videos the lesson has)."""
    blocks = list(lesson.body)
    lesson_media_prefetch(blocks)
    return blocks


def catalogue_page() -> ModuleIndexPage | None:
    return ModuleIndexPage.objects.live().first()


def live_modules() -> QuerySet[ModulePage]:
    return ModulePage.objects.live().order_by("path")


def module_by_slug(slug: str) -> ModulePage | None:
    return live_modules().filter(slug=slug).first()


def lessons_of(module: ModulePage) -> list[LessonPage]:
    return list(
        LessonPage.objects.live()
        .filter(path__startswith=module.path, depth=module.depth + 1)
        .order_by("path")
    )


def lesson_in_module(module: ModulePage, lesson_slug: str) -> LessonPage | None:
    """A live lesson of ``module`` by its slug: one index range under the module's tree path.
    (Matching the slug first read every lesson called "lesson-1" on the platform — 4,000 at
    100× data, 4 ms — before checking which module it was in.)"""
    return (
        LessonPage.objects.live()
        .filter(path__startswith=module.path, depth=module.depth + 1, slug=lesson_slug)
        .first()
    )


def module_of(lesson: LessonPage) -> ModulePage | None:
    return ModulePage.objects.live().filter(path=lesson.path[:-PATH_STEP]).first()


def lesson_counts(modules: list[ModulePage]) -> dict[int, int]:
    """Live lessons per module, in one grouped query (by the parent's tree path)."""
    if not modules:
        return {}
    paths = {m.path: m.pk for m in modules}
    # One index range per module (``path`` has the C collation, so a prefix is a range), not a
    # scan of every lesson's computed parent path: 11 ms with 24,000 lessons, 0.3 ms this way.
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    counts = (
        LessonPage.objects.live()
        .filter(under, depth=modules[0].depth + 1)
        .annotate(parent_path=Substr("path", 1, Length("path") - PATH_STEP))
        .order_by()
        .values("parent_path")
        .annotate(n=Count("id"))
        .values_list("parent_path", "n")
    )
    result = dict.fromkeys(paths.values(), 0)
    for path, n in counts:
        result[paths[path]] = n
    return result


def completions_by_module(user, module_ids: list[int] | None = None) -> dict[int, int]:
    """Completed lessons per module for ``user``, in one grouped query."""
    if not user.is_authenticated:
        return {}
    qs = LessonCompletion.objects.filter(user=user)
    if module_ids is not None:
        qs = qs.filter(module_id__in=module_ids)
    return dict(
        qs.order_by().values("module_id").annotate(n=Count("id")).values_list("module_id", "n")
    )


def enrolments_of(user) -> dict[int, Enrolment]:
    if not user.is_authenticated:
        return {}
    return {e.module_id: e for e in Enrolment.objects.filter(user=user)}


def enrolment_for(user, module: ModulePage) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, module=module).first()


def completed_lesson_ids(user, module: ModulePage) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, module=module).values_list(
            "lesson_id", flat=True
        )
    )


def latest_attempts(user, lesson: LessonPage) -> dict[str, CheckAttempt]:
    """The person's latest answer to each knowledge check in ``lesson``."""
    if not user.is_authenticated:
        return {}
    latest: dict[str, CheckAttempt] = {}
    for attempt in CheckAttempt.objects.filter(user=user, lesson=lesson).order_by(
        "answered_at", "pk"
    ):
        latest[attempt.block_id] = attempt
    return latest


def my_learning(user) -> dict:
    """What /learning/ shows, in three queries: enrolments with their modules, lesson counts and
    completion counts."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("module")
        # The page shows each module's title and link; its lesson bodies and checks stay unread.
        .only(
            "id",
            "user_id",
            "module_id",
            "started_at",
            "completed_at",
            "updated_at",
            "module__id",
            "module__title",
            "module__slug",
            "module__url_path",
            "module__path",
            "module__depth",
        )
        .order_by(F("completed_at").desc(nulls_first=True), "-updated_at")
    )
    module_ids = [e.module_id for e in enrolments]
    totals = lesson_counts([e.module for e in enrolments])
    done = completions_by_module(user, module_ids) if module_ids else {}
    in_progress, completed = [], []
    for e in enrolments:
        item = {
            "enrolment": e,
            "module": e.module,
            "done": done.get(e.module_id, 0),
            "total": totals.get(e.module_id, 0),
        }
        item["percent"] = round(100 * item["done"] / item["total"]) if item["total"] else 0
        (completed if e.completed_at else in_progress).append(item)
    return {"in_progress": in_progress, "completed": completed}
