"""Finishing: marking a lesson complete (in place with JavaScript, which gets the page's new
progress as JSON), where the last lesson leads, and the "module complete" page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from modules.models import ModulePage
from modules.pages import translation
from modules.progress import selectors, services


def _wants_fragment(request) -> bool:
    return request.headers.get("X-Hope-Fragment") == "1"


def finish_link(module: ModulePage, enrolment, *, has_final_check: bool) -> dict:
    """Where the last lesson sends the person once it is complete: the "module complete" page
    when the module is finished, the end-of-module check while it is not, or the module."""
    if enrolment is not None and enrolment.completed_at is not None:
        return {
            "url": reverse("module_complete", args=[module.pk]),
            "label": _("See your certificate"),
        }
    if has_final_check:
        return {
            "url": reverse("module_check", args=[module.pk]),
            "label": _("Take the end-of-module check"),
        }
    return {"url": module.url, "label": _("Back to the module")}


@login_required
@require_POST
def lesson_complete(request, lesson_id: int):
    """Mark a lesson complete. Without JavaScript the form posts and the person is sent on;
    with it (``X-Hope-Fragment``) the answer is JSON: the panel's new HTML and the module's
    progress, so the page updates its sidebar, bar and ticks in place."""
    lesson = get_object_or_404(selectors.live_lessons(), pk=lesson_id)
    module = selectors.module_of(lesson)
    if module is None:
        raise Http404
    error = None
    try:
        services.lesson_complete(user=request.user, lesson=lesson, module=module)
    except ValidationError as exc:
        error = exc.messages[0]
    lessons = selectors.lessons_of(module)
    translation.label_titles(lessons)  # the next lesson's title in the reader's language
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), 0)
    next_lesson = lessons[index + 1] if index + 1 < len(lessons) else None
    if _wants_fragment(request):
        progress = selectors.lesson_progress(request.user, module, lessons)
        finish = None
        if next_lesson is None:
            finish = finish_link(
                module,
                selectors.enrolment_for(request.user, module),
                has_final_check=bool(module.final_check.raw_data),
            )
        html = render_to_string(
            "modules/includes/lesson_complete.html",
            {
                "lesson": lesson,
                "module": module,
                "is_complete": error is None,
                "next": next_lesson,
                "finish": finish,
                "error": error,
            },
            request=request,
        )
        return JsonResponse(
            {
                "html": html,
                "complete": error is None,
                "done": progress.done,
                "total": progress.total,
                "percent": progress.percent,
                "label": progress.label,
                "done_lessons": sorted(progress.done_ids),
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
        return redirect(lesson.url)
    messages.success(request, _("Lesson marked as complete."))
    if next_lesson is None:
        finish = finish_link(
            module,
            selectors.enrolment_for(request.user, module),
            has_final_check=bool(module.final_check.raw_data),
        )
        return redirect(finish["url"])
    return redirect(next_lesson.url)


@login_required
@require_GET
def module_complete(request, module_id: int):
    """The moment a module is finished: the certificate, how the person's confidence changed
    (if they rated it before and after) and a module to try next. Only for someone who has
    completed the module; anyone else is sent to the module's page."""
    module = get_object_or_404(selectors.live_modules(), pk=module_id)
    enrolment = selectors.enrolment_for(request.user, module)
    if enrolment is None or enrolment.completed_at is None:
        return redirect(module.url)
    from modules.certificates.services import certificate_of

    return render(
        request,
        "modules/module_complete.html",
        {
            "module": module,
            "enrolment": enrolment,
            "certificate": certificate_of(request.user, module),
            "attempt": selectors.latest_passing_attempt(request.user, module),
            "confidence": selectors.confidence_change(request.user, module),
            "suggested": selectors.suggested_next_module(request.user, module),
        },
    )
