"""Reads for modules and progress. Each returns what a page needs in one query; progress is
counted on the lesson-completion table, never by walking StreamField blocks."""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from learning import pagecache
from learning.cache import local_memo
from learning.models import User
from learning.prepared import PreparedQuery
from modules.models import (
    ConfidenceRating,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModuleCheckAttempt,
    ModuleIndexPage,
    ModulePage,
)
from modules.pages.embeds import lesson_media_prefetch
from modules.pages.translation import SOURCE_LANGUAGE

T = TypeVar("T")
PATH_STEP = 4  # treebeard's step length for Wagtail page paths


def lesson_blocks(lesson: LessonPage) -> list:
    """The lesson's blocks, with their images' renditions and their videos' stored players
    read in bulk (two queries, however many images and videos the lesson has)."""
    blocks = list(lesson.body)
    lesson_media_prefetch(blocks)
    return blocks


def catalogue_page() -> ModuleIndexPage | None:
    return ModuleIndexPage.objects.live().filter(locale__language_code=SOURCE_LANGUAGE).first()


def live_modules() -> QuerySet[ModulePage]:
    """Live modules in catalogue order: the English (source) pages, which progress, checks,
    certificates and CPD belong to; a Welsh translation is only another way of reading one
    (``modules.pages.translation``)."""
    return ModulePage.objects.live().filter(locale__language_code=SOURCE_LANGUAGE).order_by("path")


def live_lessons() -> QuerySet[LessonPage]:
    """Live lessons that progress is recorded against: the English (source) pages."""
    return LessonPage.objects.live().filter(locale__language_code=SOURCE_LANGUAGE)


# --- live pages kept per process ----------------------------------------------------------
# A live module and its live lessons are read on every lesson and module page and change only
# when an editor publishes, unpublishes, moves or deletes a page, which bumps the content
# generation (``learning.pagecache``; any page save bumps it too). Each process keeps what it
# read under that generation and hands every caller its own shallow copies, so a label a page
# puts on one (``shown_title``) never reaches another request, while the parsed lesson body is
# shared. Another process sees a change within ``pagecache.GENERATION_CHECK_SECONDS``.

LIVE_PAGES_VERSION = 1  # change when what is kept changes shape
LIVE_PAGES_MEMO_SIZE = 1024


def _kept(key: tuple, read: Callable[[], T]) -> T:
    key = (LIVE_PAGES_VERSION, pagecache.current_generation(), *key)
    return local_memo("live_pages", key, read, size=LIVE_PAGES_MEMO_SIZE)


def module_by_slug(slug: str) -> ModulePage | None:
    module = _kept(("module", slug), lambda: live_modules().filter(slug=slug).first())
    return copy.copy(module) if module is not None else None


def lessons_of(module: ModulePage) -> list[LessonPage]:
    lessons = _kept(
        ("lessons", module.path),
        lambda: tuple(
            LessonPage.objects.live()
            .filter(path__startswith=module.path, depth=module.depth + 1)
            .order_by("path")
        ),
    )
    return [copy.copy(lesson) for lesson in lessons]


def module_of(lesson: LessonPage) -> ModulePage | None:
    return ModulePage.objects.live().filter(path=lesson.path[:-PATH_STEP]).first()


@dataclass(frozen=True)
class Prerequisite:
    """A module to complete before another, and whether this person has completed it."""

    module: ModulePage
    is_completed: bool


def prerequisites_for(user: User | AnonymousUser, module: ModulePage) -> list[Prerequisite]:
    """The module's live prerequisites in catalogue order, each marked completed or not for
    ``user``: one query, and a second only when there are prerequisites and someone signed in."""
    modules = list(live_modules().filter(required_by=module))
    if not modules or not user.is_authenticated:
        return [Prerequisite(module=m, is_completed=False) for m in modules]
    done = set(
        Enrolment.objects.filter(
            user=user, module__in=modules, completed_at__isnull=False
        ).values_list("module_id", flat=True)
    )
    return [Prerequisite(module=m, is_completed=m.pk in done) for m in modules]


def _path_starts_with_any(prefixes: list[str]) -> RawSQL:
    """``Q(path__startswith=a) | Q(path__startswith=b) | …`` written as Django writes each of
    those lookups (the same SQL, so the same index ranges), without building and compiling a
    lookup per module: that was most of the cost of counting the lessons of 26 modules."""
    ops = connection.ops
    column = f"{ops.quote_name(Page._meta.db_table)}.{ops.quote_name('path')}"
    internal_type = Page._meta.get_field("path").get_internal_type()
    test = (
        ops.lookup_cast("startswith", internal_type) % column
        + " "
        + connection.operators["startswith"] % "%s"  # type: ignore[attr-defined]
    )
    return RawSQL(  # noqa: S611 (column and operator from Django; every value bound)
        "(" + " OR ".join([test] * len(prefixes)) + ")",
        [f"{ops.prep_for_like_query(prefix)}%" for prefix in prefixes],
        output_field=BooleanField(),
    )


def lesson_counts(modules: list[ModulePage]) -> dict[int, int]:
    """Live lessons per module, in one grouped query (by the parent's tree path)."""
    if not modules:
        return {}
    paths = {m.path: m.pk for m in modules}
    # One index range per module (``path`` has the C collation, so a prefix is a range), not a
    # scan of every lesson's computed parent path: 11 ms with 24,000 lessons, 0.3 ms this way.
    counts = (
        LessonPage.objects.live()
        .filter(_path_starts_with_any(list(paths)), depth=modules[0].depth + 1)
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


# What a list of modules shows of each: its title and its link.
MODULE_LIST_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "locale_id")


def _kept_module_list() -> dict[int, ModulePage]:
    return _kept(
        ("module_list",),
        lambda: {m.pk: m for m in live_modules().only(*MODULE_LIST_FIELDS)},
    )


def kept_modules(module_ids: Collection[int]) -> dict[int, ModulePage]:
    """The modules with these ids, as a list shows them, each a copy of this process's kept live
    module (``MODULE_LIST_FIELDS`` only); modules that are no longer live are read from the
    database (one query, only when there are some)."""
    if not module_ids:
        return {}
    kept = _kept_module_list()
    found = {pk: copy.copy(kept[pk]) for pk in module_ids if pk in kept}
    missing = [pk for pk in module_ids if pk not in found]
    if missing:
        found.update(
            (m.pk, m) for m in ModulePage.objects.filter(pk__in=missing).only(*MODULE_LIST_FIELDS)
        )
    return found


def _live_lesson_counts() -> dict[int, int]:
    """Live lessons per live module, every module at once: one grouped scan of the live lessons
    by parent path (about 11 ms with 24,000 lessons, once per process and content generation),
    rather than one index range per module."""
    paths = {m.path: m.pk for m in _kept_module_list().values()}
    counts = dict.fromkeys(paths.values(), 0)
    rows = (
        LessonPage.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - PATH_STEP))
        .order_by()
        .values("parent_path")
        .annotate(n=Count("id"))
        .values_list("parent_path", "n")
    )
    for path, n in rows:
        if path in paths:
            counts[paths[path]] = n
    return counts


def kept_lesson_counts(modules: list[ModulePage]) -> dict[int, int]:
    """``lesson_counts`` for pages that show progress (My learning, the catalogue), read from
    this process's count of every live module's lessons, kept under the content generation like
    the live pages above. A module that is no longer live (an enrolment in a page since
    unpublished) is counted in the database as before. Marking a module complete counts in the
    database (``lesson_counts``), never from here."""
    if not modules:
        return {}
    kept = _kept(("lesson_counts",), _live_lesson_counts)
    counts = {m.pk: kept[m.pk] for m in modules if m.pk in kept}
    missing = [m for m in modules if m.pk not in kept]
    if missing:
        counts.update(lesson_counts(missing))
    return counts


def completions_by_module(
    user: User | AnonymousUser, module_ids: list[int] | None = None
) -> dict[int, int]:
    """Completed lessons per module for ``user``, in one grouped query."""
    if not user.is_authenticated:
        return {}
    qs = LessonCompletion.objects.filter(user=user)
    if module_ids is not None:
        qs = qs.filter(module_id__in=module_ids)
    return dict(
        qs.order_by().values("module_id").annotate(n=Count("id")).values_list("module_id", "n")
    )


def enrolments_of(user: User | AnonymousUser) -> dict[int, Enrolment]:
    if not user.is_authenticated:
        return {}
    return {e.module_id: e for e in Enrolment.objects.filter(user=user)}


# Every lesson view reads the person's enrolment: built once per process (learning/prepared.py).
_ENROLMENT = PreparedQuery(
    "progress.enrolment_for",
    lambda slots: Enrolment.objects.filter(
        user_id=slots.user_id, module_id=slots.module_id
    ).order_by("pk")[:1],
    slots={"user_id": int, "module_id": int},
)


def enrolment_for(user: User | AnonymousUser, module: ModulePage) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return _ENROLMENT.first(user_id=user.pk, module_id=module.pk)


_COMPLETED_LESSONS = PreparedQuery(
    "progress.completed_lesson_ids",
    lambda slots: LessonCompletion.objects.filter(
        user_id=slots.user_id, module_id=slots.module_id
    ).values_list("lesson_id", flat=True),
    slots={"user_id": int, "module_id": int},
)


def completed_lesson_ids(user: User | AnonymousUser, module: ModulePage) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(_COMPLETED_LESSONS.all(user_id=user.pk, module_id=module.pk))


# My learning's two reads, built once per process (learning/prepared.py).
_MY_ENROLMENTS = PreparedQuery(
    "progress.my_enrolments",
    lambda slots: (
        Enrolment.objects.filter(user_id=slots.user_id)
        .only("id", "user_id", "module_id", "started_at", "completed_at", "updated_at")
        .order_by(F("completed_at").desc(nulls_first=True), "-updated_at", "-pk")
    ),
    slots={"user_id": int},
)
_MY_COMPLETIONS = PreparedQuery(
    "progress.my_completions",
    lambda slots: (
        LessonCompletion.objects.filter(user_id=slots.user_id)
        .order_by()
        .values("module_id")
        .annotate(n=Count("id"))
        .values_list("module_id", "n")
    ),
    slots={"user_id": int},
)


def my_learning(user: User) -> dict:
    """What /learning/ shows, in two queries (enrolments, completion counts): each module's
    title, link and lesson count come from this process's kept live modules. A module deleted
    since the enrolments were read is left out, as it would be a moment later."""
    enrolments = _MY_ENROLMENTS.all(user_id=user.pk)
    modules = kept_modules({e.module_id for e in enrolments})
    enrolments = [e for e in enrolments if e.module_id in modules]
    for e in enrolments:
        e.module = modules[e.module_id]
    totals = kept_lesson_counts([e.module for e in enrolments])
    done: dict[int, int] = dict(_MY_COMPLETIONS.all(user_id=user.pk)) if enrolments else {}
    in_progress: list[dict[str, Any]] = []
    completed: list[dict[str, Any]] = []
    for e in enrolments:
        lessons_done, lessons = done.get(e.module_id, 0), totals.get(e.module_id, 0)
        item = {
            "enrolment": e,
            "module": e.module,
            "done": lessons_done,
            "total": lessons,
            "percent": round(100 * lessons_done / lessons) if lessons else 0,
        }
        (completed if e.completed_at else in_progress).append(item)
    return {"in_progress": in_progress, "completed": completed}


@dataclass
class LessonProgress:
    """How far a person is through a module's lessons, as the sidebar and bar show it."""

    done_ids: set[int]
    total: int

    @property
    def done(self) -> int:
        return len(self.done_ids)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        return _("%(done)s of %(total)s lessons complete") % {
            "done": self.done,
            "total": self.total,
        }


def lesson_progress(
    user: User | AnonymousUser, module: ModulePage, lessons: list[LessonPage]
) -> LessonProgress:
    """The person's completed lessons among ``lessons`` (the module's live ones): one query."""
    live = {lesson.pk for lesson in lessons}
    return LessonProgress(done_ids=completed_lesson_ids(user, module) & live, total=len(live))


def module_completed(user: User | AnonymousUser, module: ModulePage) -> bool:
    enrolment = enrolment_for(user, module)
    return enrolment is not None and enrolment.completed_at is not None


@dataclass
class ConfidenceChange:
    outcome: str
    before: int | None
    after: int | None


def confidence_change(user: User | AnonymousUser, module: ModulePage) -> list[ConfidenceChange]:
    """The person's confidence in each of the module's outcomes before and after, for the
    outcomes they rated at least once (one query). Empty if they rated none."""
    if not user.is_authenticated:
        return []
    by_outcome: dict[int, ConfidenceChange] = {}
    ratings = (
        ConfidenceRating.objects.filter(user=user, module=module)
        .select_related("outcome")
        .order_by("outcome__sort_order", "outcome_id")
    )
    for rating in ratings:
        row = by_outcome.setdefault(
            rating.outcome_id,
            ConfidenceChange(outcome=rating.outcome.text, before=None, after=None),
        )
        setattr(row, rating.phase, rating.rating)
    return list(by_outcome.values())


def suggested_next_module(user: User | AnonymousUser, module: ModulePage) -> ModulePage | None:
    """A module to try next: the first live module in catalogue order, after ``module``, that
    the person has not finished; failing that, the first before it (one query)."""
    if not user.is_authenticated:
        return None
    finished = Enrolment.objects.filter(user=user, completed_at__isnull=False).values("module_id")
    candidates = (
        live_modules()
        .exclude(pk=module.pk)
        .exclude(pk__in=finished)
        .only("id", "title", "slug", "summary", "url_path", "path", "depth")
        .annotate(before=Case(When(path__gt=module.path, then=Value(0)), default=Value(1)))
        .order_by("before", "path")
    )
    return candidates.first()


def latest_passing_attempt(
    user: User | AnonymousUser, module: ModulePage
) -> ModuleCheckAttempt | None:
    """The person's latest passing attempt at the module's check, if any (one query)."""
    if not user.is_authenticated:
        return None
    return (
        ModuleCheckAttempt.objects.filter(user=user, module=module, passed=True)
        .only("id", "score", "submitted_at")
        .order_by("-submitted_at", "-pk")
        .first()
    )
