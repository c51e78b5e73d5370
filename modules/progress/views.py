"""Modules and lessons as a learner meets them: overview, content notes, lessons with knowledge
checks, marking complete, the end-of-module check and confidence ratings. Every page works
without JavaScript; with it, checks and "mark complete" update in place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning import permissions
from learning.forms import id_from
from learning.markers import lesson_markers_for
from learning.pagecache import cache_public_page
from modules.models import ConfidenceRating, LessonPage, ModulePage
from modules.pages import translation
from modules.pages.views import public_content_allowed
from modules.progress import selectors, selectors_checks, services
from modules.progress.views_finish import finish_link, lesson_complete, module_complete
from modules.progress.views_learning import my_learning

# Served from here, written in views_finish and views_learning.
__all__ = ["lesson_complete", "module_complete", "my_learning"]

NOTES_SEEN = "hope_content_notes_seen"


def _wants_fragment(request) -> bool:
    return request.headers.get("X-Hope-Fragment") == "1"


def _note_needed(request, page_id: int) -> bool:
    user = request.user
    if user.is_authenticated and getattr(user, "always_show_content_notes", False):
        return request.GET.get("continue") != "1"
    seen = request.session.get(NOTES_SEEN, [])
    if request.GET.get("continue") == "1":
        if page_id not in seen:
            request.session[NOTES_SEEN] = [*seen, page_id][-200:]
        return False
    return page_id not in seen


def _lesson_state(user, module: ModulePage, lessons: list[LessonPage]) -> dict:
    done = selectors.completed_lesson_ids(user, module)
    total = len(lessons)
    return {
        "done_ids": done,
        "done": len(done & {lesson.pk for lesson in lessons}),
        "total": total,
        "percent": round(100 * len(done) / total) if total else 0,
        "next_lesson": next((lesson for lesson in lessons if lesson.pk not in done), None),
    }


# --- module -----------------------------------------------------------------------------


@cache_public_page
def module_view(request, module_slug: str):
    module = selectors.module_by_slug(module_slug)
    if module is None:
        raise Http404
    return module_page(request, module)


def _start_state(user, module: ModulePage, enrolment) -> dict:
    """The module's prerequisites for this person, and the rulebook's answer to whether they
    may start it (``may_start``), for the module page and the start page."""
    prerequisites = selectors.prerequisites_for(user, module)
    return {
        "prerequisites": prerequisites,
        "prerequisites_required": module.prerequisites_required,
        "may_start": permissions.can_start_module(
            user, module, prerequisites, started=enrolment is not None
        ),
    }


def module_page(request, module: ModulePage, *, text: ModulePage | None = None):
    """The module's overview. ``module`` is the English page (progress belongs to it); the
    words come from its Welsh translation for a Welsh reader where one is live, or from
    ``text``, a version an editor is previewing (``modules.pages.translation``)."""
    if not public_content_allowed(request):
        return redirect_to_login(request.get_full_path())
    shown = translation.shown(module, text=text)
    lessons = selectors.lessons_of(module)
    translation.label_titles(lessons)
    enrolment = selectors.enrolment_for(request.user, module)
    state = _lesson_state(request.user, module, lessons) if enrolment else None
    resume = None
    if state:
        resume = next(
            (
                lesson
                for lesson in lessons
                if lesson.pk == enrolment.last_lesson_id and lesson.pk not in state["done_ids"]
            ),
            state["next_lesson"],
        )
    certificate = None
    if enrolment is not None and enrolment.completed_at is not None:
        from modules.certificates.services import certificate_of

        certificate = certificate_of(request.user, module)
    return render(
        request,
        "modules/module_page.html",
        {
            "certificate": certificate,
            "page": module,
            "module": module,
            "text": shown.text,
            "content_lang": shown.lang,
            "untranslated": shown.untranslated,
            "lessons": lessons,
            "outcomes": list(shown.text.learning_outcomes.all()),
            "enrolment": enrolment,
            "state": state,
            "resume": resume,
            "has_final_check": bool(module.final_check.raw_data),
            **_start_state(request.user, module, enrolment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_start(request, module_id: int):
    """Content note (if any), confidence before starting, then the first lesson."""
    module = get_object_or_404(selectors.live_modules(), pk=module_id)
    try:
        services.start_check(user=request.user, module=module)
    except services.PrerequisitesOutstanding:
        return _prerequisites_needed(request, module)
    outcomes = list(module.learning_outcomes.all())
    translation.label_outcomes(outcomes)
    errors = {}
    if request.method == "POST":
        ratings, errors = _read_ratings(request, outcomes, required=False)
        if not errors:
            try:
                services.enrolment_start(user=request.user, module=module)
            except services.PrerequisitesOutstanding:
                return _prerequisites_needed(request, module)
            if ratings:
                services.confidence_record(
                    user=request.user, module=module, phase="before", ratings=ratings
                )
            if request.POST.get("always_show_content_notes") == "on":
                get_user_model().objects.filter(pk=request.user.pk).update(
                    always_show_content_notes=True
                )
            seen = request.session.get(NOTES_SEEN, [])
            request.session[NOTES_SEEN] = [*seen, module.pk][-200:]
            lessons = selectors.lessons_of(module)
            if lessons:
                return redirect(lessons[0].url)
            return redirect(module.url)
    return render(
        request,
        "modules/module_start.html",
        {
            "module": module,
            "shown": translation.shown(module),
            "outcomes": outcomes,
            "errors": errors,
            "scale": range(1, 6),
        },
        status=400 if errors else 200,
    )


def _prerequisites_needed(request, module: ModulePage):
    """Why the module cannot be started yet, with a link to each module still to complete."""
    enrolment = selectors.enrolment_for(request.user, module)
    return render(
        request,
        "modules/module_prerequisites.html",
        {"module": module, **_start_state(request.user, module, enrolment)},
        status=403,
    )


def _read_ratings(request, outcomes, *, required: bool) -> tuple[dict[int, int], dict[int, str]]:
    ratings, errors = {}, {}
    for outcome in outcomes:
        raw = request.POST.get(f"outcome-{outcome.pk}", "")
        if raw in {"1", "2", "3", "4", "5"}:
            ratings[outcome.pk] = int(raw)
        elif raw or required:
            errors[outcome.pk] = _("Choose how confident you feel, from 1 to 5.")
    return ratings, errors


@login_required
@require_http_methods(["GET", "POST"])
def module_confidence(request, module_id: int, phase: str):
    module = get_object_or_404(selectors.live_modules(), pk=module_id)
    if phase != ConfidenceRating.Phase.AFTER:
        raise Http404
    enrolment = selectors.enrolment_for(request.user, module)
    if enrolment is None or enrolment.completed_at is None:
        raise Http404
    outcomes = list(module.learning_outcomes.all())
    translation.label_outcomes(outcomes)
    errors = {}
    if request.method == "POST":
        ratings, errors = _read_ratings(request, outcomes, required=True)
        if not errors:
            services.confidence_record(
                user=request.user, module=module, phase=phase, ratings=ratings
            )
            messages.success(request, _("Thank you. Your confidence ratings are saved."))
            return redirect(module.url)
    return render(
        request,
        "modules/module_confidence.html",
        {
            "module": module,
            "shown": translation.shown(module),
            "outcomes": outcomes,
            "errors": errors,
            "scale": range(1, 6),
        },
        status=400 if errors else 200,
    )


def _positions(values: list[str]) -> list[int]:
    return [n for n in map(id_from, values) if n is not None and n < 1000]


def _round(request) -> int | None:
    number = id_from(request.POST.get("round", ""))
    return number if number is not None and number < 1_000_000 else None


@login_required
@require_http_methods(["GET", "POST"])
def module_check(request, module_id: int):
    """The end-of-module check: questions drawn from the module's bank for the person's next
    attempt, every one on one page, marked against the pass mark; then the review."""
    module = get_object_or_404(selectors.live_modules(), pk=module_id)
    errors: dict = {}
    status = 200
    if request.method == "POST" and (round_number := _round(request)) is not None:
        answers = {
            key[2:]: _positions(request.POST.getlist(key))
            for key in request.POST
            if key.startswith("q-")
        }
        try:
            attempt = services.module_check_submit(
                user=request.user, module=module, round_number=round_number, answers=answers
            )
        except services.CheckReplaced as exc:
            messages.info(request, exc.messages[0])
            return redirect("module_check", module_id=module.pk)
        except services.PrerequisitesOutstanding as exc:
            messages.error(request, exc.messages[0])
            return redirect(module.url)
        except ValidationError as exc:
            errors = exc.message_dict
            status = 400
            paper = selectors_checks.module_check_paper_for(request.user.pk, module, round_number)
            for question in paper.questions:
                question.chosen = answers.get(question.block_id, [])
                question.error = errors.get(question.block_id, [""])[0]
        else:
            if attempt.passed and selectors.module_completed(request.user, module):
                return redirect("module_complete", module_id=module.pk)
            return redirect("module_check_review", module_id=module.pk, attempt_id=attempt.pk)
    else:
        paper = selectors_checks.module_check_paper(request.user, module)
    if not paper.questions:
        raise Http404
    error_items = [
        (
            f"q-{q.block_id}-error",
            _("Question %(number)s: answer this question.") % {"number": q.number},
        )
        for q in paper.questions
        if getattr(q, "error", "")
    ]
    return render(
        request,
        "modules/module_check.html",
        {"module": module, "paper": paper, "errors": errors, "error_items": error_items},
        status=status,
    )


@login_required
@require_GET
def module_check_review(request, module_id: int, attempt_id: int):
    """One submitted attempt, question by question: the person's answer, the right answer and
    why. Only the person who made the attempt can see it."""
    module = get_object_or_404(selectors.live_modules(), pk=module_id)
    review = selectors_checks.module_check_review(request.user, module, attempt_id)
    if review is None:
        raise Http404
    return render(
        request,
        "modules/module_check_review.html",
        {"module": module, **review},
    )


# --- lesson -----------------------------------------------------------------------------


@cache_public_page
def lesson_view(request, module_slug: str, lesson_slug: str):
    module = selectors.module_by_slug(module_slug)
    # The module's lessons are read for the page's navigation anyway; the lesson is one of them.
    lessons = selectors.lessons_of(module) if module else []
    lesson = next((item for item in lessons if item.slug == lesson_slug), None)
    if lesson is None:
        raise Http404
    return lesson_page(request, lesson, module=module, lessons=lessons)


def lesson_page(
    request,
    lesson: LessonPage,
    *,
    preview: bool = False,
    module: ModulePage | None = None,
    text: LessonPage | None = None,
    lessons: list[LessonPage] | None = None,
):
    """A lesson. ``lesson`` is the English page: progress and check answers are recorded
    against it whichever version is read; the words come from its live Welsh translation for
    a Welsh reader (or from ``text``, a version an editor is previewing). ``lessons``: the
    module's live lessons, when the caller has already read them."""
    if not public_content_allowed(request):
        return redirect_to_login(request.get_full_path())
    module = module or selectors.module_of(lesson)
    if module is None:
        raise Http404
    shown = translation.shown(lesson, text=text)
    module_shown = translation.shown(module)
    if shown.text.content_note and not preview and _note_needed(request, lesson.pk):
        return render(
            request,
            "modules/content_note.html",
            {"page": shown.text, "module": module_shown.text, "content_lang": shown.lang},
        )
    if lessons is None:
        lessons = selectors.lessons_of(module)
    translation.label_titles(lessons)
    user = request.user
    checks = selectors_checks.lesson_checks_shown(user, lesson, text=shown.text)
    enrolment = None
    if not preview:
        enrolment = services.enrolment_note_lesson(user=user, module=module, lesson=lesson)
    done_ids = selectors.completed_lesson_ids(user, module) if user.is_authenticated else set()
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), 0)
    is_last = index + 1 >= len(lessons)
    return render(
        request,
        "modules/lesson_page.html",
        {
            "page": lesson,
            "lesson": lesson,
            "module": module,
            "text": shown.text,
            "content_lang": shown.lang,
            "untranslated": shown.untranslated,
            "module_text": module_shown.text,
            "module_lang": module_shown.lang,
            "blocks": [
                (block, checks.get(block.id)) for block in selectors.lesson_blocks(shown.text)
            ],
            "lessons": lessons,
            "position": index + 1,
            "previous": lessons[index - 1] if index > 0 else None,
            "next": None if is_last else lessons[index + 1],
            "finish": finish_link(
                module, enrolment, has_final_check=bool(module.final_check.raw_data)
            )
            if is_last
            else None,
            "is_complete": lesson.pk in done_ids,
            "done_ids": done_ids,
            "done": len(done_ids),
            "percent": round(100 * len(done_ids) / len(lessons)) if lessons else 0,
            "markers": lesson_markers_for(user, lesson.pk) if not preview else [],
            "preview": preview,
        },
    )


@login_required
@require_POST
def lesson_check_answer(request, lesson_id: int, block_id: str):
    lesson = get_object_or_404(selectors.live_lessons(), pk=lesson_id)
    round_number = _round(request)
    error = None
    try:
        if round_number is None:
            raise ValidationError(_("This question has changed. Choose your answer again."))
        services.check_answer(
            user=request.user,
            lesson=lesson,
            block_id=block_id,
            round_number=round_number,
            positions=_positions(request.POST.getlist("answer")),
        )
    except ValidationError as exc:
        error = exc.messages[0]
    if _wants_fragment(request):
        text = translation.shown(lesson).text
        check = selectors_checks.lesson_checks_shown(request.user, lesson, text=text).get(block_id)
        if check is None:
            raise Http404
        return render(
            request,
            "modules/blocks/knowledge_check.html",
            {"check": check, "error": error, "lesson": lesson},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(f"{lesson.url}#check-{block_id}")
