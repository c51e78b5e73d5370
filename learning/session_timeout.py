"""The warning before the idle sign-out (WCAG 2.2.1: a time limit can be extended).

``learning.middleware.SessionLifetimeMiddleware`` signs a person out after
``HOPE_SESSION_IDLE_MINUTES`` without a request. Every signed-in page carries how many seconds
are left (``includes/session_timeout.html``); ``static/js/session-timeout.mjs`` shows "You will
be signed out soon" ``HOPE_SESSION_WARNING_SECONDS`` before then, and "Stay signed in" posts
to ``session_extend``, which counts as activity. Without JavaScript there is no warning and
the server's limit is unchanged."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from learning.middleware import LAST_SEEN, SIGNED_IN_AT


def seconds_left(request) -> int | None:
    """Seconds until the idle sign-out for the signed-in person, or None if signed out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = request.session
    last_seen = session.get(LAST_SEEN, session.get(SIGNED_IN_AT)) or time.time()
    idle = settings.HOPE_SESSION_IDLE_MINUTES * 60
    return max(0, int(idle - (time.time() - last_seen)))


def timeout_context(request) -> dict | None:
    """What the page's warning needs, for signed-in people only."""
    left = seconds_left(request)
    if left is None:
        return None
    idle = settings.HOPE_SESSION_IDLE_MINUTES * 60
    return {
        "seconds_left": left,
        "warn_seconds": min(settings.HOPE_SESSION_WARNING_SECONDS, max(idle - 5, 1)),
        "idle_seconds": idle,
    }


@require_POST
def session_extend(request):
    """ "Stay signed in": this request is the activity. A session that has already ended was
    closed by the middleware before this view (the browser is sent to sign in)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    request.session[LAST_SEEN] = time.time()
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request)})
