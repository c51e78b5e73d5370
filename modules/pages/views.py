"""The module catalogue: filters by topic, audience and length, Wagtail search across modules
and lessons, and, for a signed-in person, their status on each module."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from learning.forms import search_terms
from learning.language import in_reader_language
from learning.pagecache import cache_public_page
from learning.pagination import keyset_page
from modules.models import Audience, LessonPage, ModulePage, Topic
from modules.pages import translation
from modules.progress import selectors

LENGTHS = {
    "short": (_("Under 30 minutes"), 0, 29),
    "medium": (_("30 to 60 minutes"), 30, 60),
    "long": (_("Over an hour"), 61, 10_000),
}
FILTERS_CACHE_KEY = "modules:catalogue-filters:v2"
PAGE_SIZE = 24  # modules a page: the catalogue pages by keyset, so its cost is flat
# A search keeps the closest this many modules: a common word would otherwise load every
# module on the platform (4,000 at 100× data) to filter the page by their ids.
SEARCH_LIMIT = 200


def public_content_allowed(request) -> bool:
    return settings.HOPE_PUBLIC_CONTENT or request.user.is_authenticated


def filter_options() -> dict:
    """The topics and audiences to filter by, ``(slug, name)`` with each name in the reader's
    language. They change rarely: both names are cached for five minutes, for every language."""
    names = cache.get(FILTERS_CACHE_KEY)
    if names is None:
        names = {
            "topics": list(Topic.objects.values_list("slug", "name", "name_cy")),
            "audiences": list(Audience.objects.values_list("slug", "name", "name_cy")),
        }
        cache.set(FILTERS_CACHE_KEY, names, 300)
    return {
        kind: [(slug, in_reader_language(name, name_cy)) for slug, name, name_cy in rows]
        for kind, rows in names.items()
    }


@cache_public_page
def catalogue_view(request):
    page = selectors.catalogue_page()
    if page is None:
        raise Http404
    return catalogue(request, page)


def catalogue(request, page):
    if not public_content_allowed(request):
        return redirect_to_login(request.get_full_path())
    options = filter_options()
    topic = request.GET.get("topic", "")
    audience = request.GET.get("audience", "")
    length = request.GET.get("length", "")
    query = search_terms(request.GET.get("q", ""))

    modules = selectors.live_modules().prefetch_related(
        "topics", Prefetch("prerequisites", queryset=selectors.live_modules())
    )
    if topic in dict(options["topics"]):
        modules = modules.filter(topics__slug=topic)
    if audience in dict(options["audiences"]):
        modules = modules.filter(audiences__slug=audience)
    if length in LENGTHS:
        _label, low, high = LENGTHS[length]
        modules = modules.filter(estimated_minutes__gte=low, estimated_minutes__lte=high)

    lesson_hits: list[LessonPage] = []
    search_capped = False
    if query:
        # In the reader's language: Welsh translations, and English pages without one.
        english = page.locale_id  # the catalogue page is the English one
        module_ids = [
            m.pk
            for m in translation.matching_sources(
                ModulePage, query, SEARCH_LIMIT + 1, source_locale_id=english
            )
        ]
        search_capped = len(module_ids) > SEARCH_LIMIT
        module_ids = module_ids[:SEARCH_LIMIT]
        lesson_hits = translation.matching_sources(LessonPage, query, 20, source_locale_id=english)
        translation.label_titles(lesson_hits)
        parent_paths = {lesson.path[: -selectors.PATH_STEP] for lesson in lesson_hits}
        from django.db.models import Q

        modules = modules.filter(Q(pk__in=module_ids) | Q(path__in=parent_paths))
    results = keyset_page(
        modules.distinct(), order=("path",), cursor=request.GET.get("after"), size=PAGE_SIZE
    )
    modules = results.items

    user = request.user
    status: dict[int, dict] = {}
    if user.is_authenticated and modules:
        enrolments = selectors.enrolments_of(user)
        enrolled = [m for m in modules if m.pk in enrolments]
        totals = selectors.kept_lesson_counts(enrolled)
        done = selectors.completions_by_module(user, [m.pk for m in enrolled])
        for m in enrolled:
            e = enrolments[m.pk]
            total = totals.get(m.pk, 0)
            percent = round(100 * done.get(m.pk, 0) / total) if total else 0
            status[m.pk] = {
                "completed": e.completed_at is not None,
                "percent": 100 if e.completed_at else percent,
            }
    translation.label_titles(modules, fields=("summary",))
    shown = translation.shown(page)
    items = [{"module": m, "status": status.get(m.pk)} for m in modules]
    return render(
        request,
        "modules/catalogue.html",
        {
            "page": page,
            "text": shown.text,
            "content_lang": shown.lang,
            "untranslated": shown.untranslated,
            "items": items,
            "results": results,
            "options": options,
            "lengths": [(k, v[0]) for k, v in LENGTHS.items()],
            "selected": {"topic": topic, "audience": audience, "length": length, "q": query},
            "lesson_hits": lesson_hits,
            "search_capped": search_capped,
            "search_limit": SEARCH_LIMIT,
            "filtered": bool(topic or audience or length or query),
        },
    )
