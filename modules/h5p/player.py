"""What the lesson's H5P block needs: the signed link to the player page in the content's
frame, and where results go (only for a signed-in learner outside an editor's preview)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.middleware.csrf import get_token
from django.urls import reverse

from modules.h5p import selectors
from modules.h5p.models import H5PContent
from modules.h5p.views import PLAYER


def player_url(content: H5PContent) -> str:
    token = signing.dumps(content.pk, salt=selectors.LINK_SALT)
    url = reverse("h5p_file", kwargs={"content_id": content.pk, "token": token, "path": PLAYER})
    return f"{settings.HOPE_SCORM_CONTENT_ORIGIN}{url}"


def player_context(value, parent_context) -> dict | None:
    content = value.get("content")
    request = parent_context.get("request")
    lesson = parent_context.get("lesson")
    if content is None or request is None or lesson is None:
        return None
    user = request.user
    saving = user.is_authenticated and not parent_context.get("preview")
    result = selectors.result_for(user, lesson, content) if saving else None
    return {
        "config": {
            "launch": player_url(content),
            "resultUrl": reverse("h5p_result", args=[lesson.pk, content.pk]) if saving else "",
            "csrfToken": get_token(request) if saving else "",
        },
        "id": f"h5p-{lesson.pk}-{content.pk}",
        "saving": saving,
        "complete": result is not None and result.completed_at is not None,
    }
