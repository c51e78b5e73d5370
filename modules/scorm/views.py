"""Serving a package's files to its sandboxed frame, and saving what the package commits.

Package files are untrusted content. They are served only through ``package_file``: only
files under the package's own storage prefix, named by a link signed for that package, with
a strict Content-Security-Policy (nothing loaded from or sent to other sites, framed only by
this service) and ``X-Content-Type-Options: nosniff``. The lesson frames them in an iframe
sandboxed without ``allow-same-origin``, so their script runs in an opaque origin: it cannot
read the learner's cookies or call this service as them. The launch file gets one script
added, the runtime shim (docs/scorm.md): ``API`` and ``API_1484_11`` objects that pass each
call to the lesson page by ``postMessage``, where scorm-again keeps the data model.
"""

from __future__ import annotations

import functools
import json
import mimetypes
import re

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
from learning.site_url import base_url
from modules.scorm import selectors, services
from modules.scorm.links import link_max_age
from modules.scorm.packages import RESERVED_FOLDER, safe_member_path

RUNTIME = f"{RESERVED_FOLDER}/runtime.js"
RUNTIME_LIBRARY = "build/scorm-again/cross-frame-api.min.js"
_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(rb"<html(\s[^>]*)?>", re.IGNORECASE)


def own_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def lesson_origin(request) -> str:
    """Where the lesson page that frames the package is: this service's address when package
    files come from a content origin of their own, otherwise the origin serving them."""
    return base_url() if settings.HOPE_SCORM_CONTENT_ORIGIN else own_origin(request)


def content_policy(request) -> str:
    """Package files may load only from where they are served; nothing is sent elsewhere, no
    plugins, no forms; only the lesson page may frame them. Inline script and style stay
    allowed because authoring tools write them; the sandbox is what keeps that script away
    from the learner's session."""
    own = f"'self' {own_origin(request)}"
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {own} 'unsafe-inline'",
            f"style-src {own} 'unsafe-inline'",
            f"img-src {own} data: blob:",
            f"media-src {own} blob:",
            f"font-src {own} data:",
            f"connect-src {own}",
            f"frame-src {own}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
            f"frame-ancestors {lesson_origin(request)}",
        ]
    )


def package_headers(request, response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = content_policy(request)
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    # The sandboxed frame's origin is opaque: fonts and fetches of its own files are
    # cross-origin requests, without credentials.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@functools.cache
def _runtime_library() -> bytes:
    found = finders.find(RUNTIME_LIBRARY)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(RUNTIME_LIBRARY) as handle:
        return handle.read()


def _runtime_script(request) -> bytes:
    """scorm-again's cross-frame client, then the lines that make it the package's ``API``
    and ``API_1484_11``, seeded with the saved data model the lesson page put in the launch
    URL's fragment (so a package reading its place straight after initialising gets it; the
    fragment never reaches a server, and is taken off the address once read)."""
    library = _runtime_library()
    setup = (
        "(function(){var seed={};var m=/[#&]hope-cmi=([^&]*)/.exec(location.hash);"
        "if(m){try{seed=JSON.parse(decodeURIComponent(m[1]))}catch(e){}"
        "try{history.replaceState(null,'',location.href.split('#')[0])}catch(e){}}"
        f"var api=new CrossFrameAPI({json.dumps(lesson_origin(request))},window.parent);"
        "Object.keys(seed).forEach(function(k){api._cache.set(k,String(seed[k]))});"
        "window.API=api;window.API_1484_11=api;})();"
    )
    return library + b"\n" + setup.encode()


def _with_runtime(html: bytes, script_url: str) -> bytes:
    tag = f'<script src="{escape(script_url)}"></script>'.encode()
    for pattern in (_HEAD, _HTML):
        match = pattern.search(html)
        if match:
            return html[: match.end()] + tag + html[match.end() :]
    return tag + html


@xframe_options_exempt
@require_safe
def package_file(request, package_id: int, token: str, path: str):
    """One file of one package, for the package's own frame."""
    if settings.HOPE_SCORM_CONTENT_ORIGIN and (
        own_origin(request) != settings.HOPE_SCORM_CONTENT_ORIGIN
    ):
        raise Http404
    member = safe_member_path(path)
    if member is None:
        raise Http404
    package = selectors.package_from_token(package_id, token, max_age=link_max_age())
    if package is None:
        raise Http404
    if member == RUNTIME:
        response = HttpResponse(_runtime_script(request), content_type="text/javascript")
        return package_headers(request, response)
    if member.split("/", 1)[0] == RESERVED_FOLDER:
        raise Http404
    try:
        handle = default_storage.open(f"{package.prefix}/{member}", "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(member)[0] or "application/octet-stream"
    if member == package.launch_path and content_type == "text/html":
        with handle:
            html = handle.read()
        runtime = request.path[: -len(path)] + RUNTIME
        response = HttpResponse(_with_runtime(html, runtime), content_type=content_type)
    else:
        response = FileResponse(handle, content_type=content_type)
    return package_headers(request, response)


def _commit_answer(result: str, error: int, status: int, **extra) -> JsonResponse:
    return JsonResponse({"result": result, "errorCode": error, **extra}, status=status)


@login_required
@require_POST
def scorm_commit(request, lesson_id: int, package_id: int):
    """Save what the package committed (a flattened data model as JSON in ``cmi``) for the
    signed-in learner, in a lesson they can open that shows the package. The answer is what
    scorm-again reads: ``result`` and ``errorCode``, and whether the lesson is now complete."""
    found = selectors.package_in_lesson(lesson_id, package_id)
    if found is None:
        raise Http404
    lesson, module, package = found
    limited = rate_limit_message(request.user, "scorm_commit")
    if limited:
        return _commit_answer("false", 101, 429, message=limited)
    try:
        cmi = json.loads(request.POST.get("cmi", ""))
    except ValueError:
        cmi = None
    if not isinstance(cmi, dict):
        return _commit_answer("false", 101, 400)
    # Flattened, the data model's empty collections (interactions, objectives) are [] or {}:
    # only its plain values are read.
    cmi = {
        key: "" if value is None else str(value)
        for key, value in cmi.items()
        if isinstance(value, str | int | float | bool | None)
    }
    try:
        result = services.scorm_commit(
            user=request.user, lesson=lesson, module=module, package=package, cmi=cmi
        )
    except ValidationError as exc:
        return _commit_answer("false", 101, 400, message=exc.messages[0])
    return _commit_answer(
        "true",
        0,
        200,
        package_complete=result.package_complete,
        complete=result.lesson_complete,
    )
