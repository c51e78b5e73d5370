"""What the lesson's SCORM block needs to play a package for the person reading it: the
signed launch link, the runtime's starting data model from their saved place, and where
commits go (only for a signed-in learner outside an editor's preview)."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse

from modules.scorm import selectors
from modules.scorm.links import launch_url


def player_context(value, parent_context) -> dict | None:
    package = value.get("package")
    request = parent_context.get("request")
    lesson = parent_context.get("lesson")
    if package is None or request is None or lesson is None:
        return None
    user = request.user
    saving = user.is_authenticated and not parent_context.get("preview")
    attempt = selectors.attempt_for(user, lesson, package) if saving else None
    config = {
        "version": package.version,
        "launch": launch_url(package),
        "initial": selectors.initial_cmi(package.version, attempt),
        "commitUrl": reverse("scorm_commit", args=[lesson.pk, package.pk]) if saving else "",
        "csrfToken": get_token(request) if saving else "",
    }
    return {
        "config": config,
        "id": f"scorm-{lesson.pk}-{package.pk}",
        "saving": saving,
        "complete": attempt is not None and attempt.completed_at is not None,
    }
