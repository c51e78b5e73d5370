"""Serving H5P content to its sandboxed frame, and recording what it reports.

The frame loads ``__hope__/player.html``, a page of ours that runs h5p-standalone on the
content's files; everything is served as SCORM package files are (``modules.scorm.views``):
only that content's files, by a signed link, under the same strict policy, in an iframe
sandboxed without ``allow-same-origin``. The player posts the content's xAPI "completed" and
"answered" statements to the lesson page, which sends them to ``h5p_result``.
"""

from __future__ import annotations

import functools
import mimetypes
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe

from learning.ratelimit import rate_limit_message
from modules.h5p import selectors, services
from modules.scorm.links import link_max_age
from modules.scorm.packages import RESERVED_FOLDER, safe_member_path
from modules.scorm.views import lesson_origin, own_origin, package_headers

PLAYER = f"{RESERVED_FOLDER}/player.html"
FRAME_SCRIPT = f"{RESERVED_FOLDER}/h5p-frame.js"
LIBRARY = f"{RESERVED_FOLDER}/h5p/"


@functools.cache
def _static_file(path: str) -> bytes | None:
    found = finders.find(path)
    try:
        if found:
            with open(found, "rb") as handle:
                return handle.read()
        with staticfiles_storage.open(path) as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def _player_html(request) -> bytes:
    return (
        '<!doctype html><html lang="en" data-parent-origin="'
        + escape(lesson_origin(request))
        + '"><head><meta charset="utf-8"><title>H5P</title>'
        '<link rel="stylesheet" href="h5p/styles/h5p.css">'
        '<script src="h5p-frame.js"></script><script src="h5p/main.bundle.js"></script></head>'
        '<body><div id="h5p-container"></div></body></html>'
    ).encode()


@xframe_options_exempt
@require_safe
def h5p_file(request, content_id: int, token: str, path: str):
    """One file of one H5P content's frame: its own files, the player page and scripts."""
    if settings.HOPE_SCORM_CONTENT_ORIGIN and (
        own_origin(request) != settings.HOPE_SCORM_CONTENT_ORIGIN
    ):
        raise Http404
    member = safe_member_path(path)
    if member is None:
        raise Http404
    content = selectors.content_from_token(content_id, token, max_age=link_max_age())
    if content is None:
        raise Http404
    content_type = mimetypes.guess_type(member)[0] or "application/octet-stream"
    if member == PLAYER:
        return package_headers(
            request, HttpResponse(_player_html(request), content_type=content_type)
        )
    if member.split("/", 1)[0] == RESERVED_FOLDER:
        if member == FRAME_SCRIPT:
            body = _static_file("js/h5p-frame.js")
        elif member.startswith(LIBRARY):
            body = _static_file("build/h5p-standalone/" + member[len(LIBRARY) :])
        else:
            body = None
        if body is None:
            raise Http404
        return package_headers(request, HttpResponse(body, content_type=content_type))
    try:
        handle = default_storage.open(f"{content.prefix}/{member}", "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, OSError) as exc:
        raise Http404 from exc
    return package_headers(request, FileResponse(handle, content_type=content_type))


def _decimal(raw: str) -> Decimal | None:
    if raw == "":
        return None
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError("score") from exc


@login_required
@require_POST
def h5p_result(request, lesson_id: int, content_id: int):
    """Record an xAPI "completed" or "answered" the content reported for the signed-in learner
    (``verb``, ``completion``, ``score_raw``, ``score_max``), for content shown by a lesson they
    can open. The answer says whether the lesson is now complete."""
    found = selectors.content_in_lesson(lesson_id, content_id)
    if found is None:
        raise Http404
    lesson, module, content = found
    limited = rate_limit_message(request.user, "scorm_commit")
    if limited:
        return JsonResponse({"saved": False, "message": limited}, status=429)
    try:
        saved = services.h5p_result_record(
            user=request.user,
            lesson=lesson,
            module=module,
            content=content,
            verb=request.POST.get("verb", ""),
            completion=request.POST.get("completion") == "true",
            score_raw=_decimal(request.POST.get("score_raw", "")),
            score_max=_decimal(request.POST.get("score_max", "")),
        )
    except ValidationError:
        return JsonResponse({"saved": False}, status=400)
    return JsonResponse(
        {
            "saved": True,
            "content_complete": saved.result.completed_at is not None,
            "complete": saved.lesson_complete,
        }
    )
