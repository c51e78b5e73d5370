"""Uploaded images served by Django: Wagtail's originals and renditions, read through the
default storage, in development (DEBUG) or where ``HOPE_SERVE_MEDIA`` says so.

Only those two folders are served. Certificates, report exports and personal data downloads are
in the same storage and are only ever served by their signed-in download views. Production
normally serves images from S3-compatible storage through signed URLs, or from a shared disk
through the proxy's own location (README.md, "Media and downloads").
"""

from __future__ import annotations

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

PUBLIC_FOLDERS = ("original_images/", "images/")
# An uploaded SVG opened on its own is a document that could run script: a media response runs
# nothing, loads nothing and is shown in a sandbox.
MEDIA_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@require_GET
def media_file(request, path: str):
    if not path.startswith(PUBLIC_FOLDERS):
        raise Http404
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, SuspiciousFileOperation, OSError) as exc:
        raise Http404 from exc
    content_type, _encoding = mimetypes.guess_type(path)
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["Cache-Control"] = "public, max-age=3600"
    return response
