"""The one way to build an absolute URL: every email, export, feed and PDF that writes a link
to this service calls ``absolute_url`` (a test fails on any other way).

The base is the ``HOPE_BASE_URL`` setting. In production it comes from the environment (the
address people use, behind any proxy). In development it follows the server actually serving
the page: ``HOPE_BASE_URL_FROM_REQUEST`` takes the scheme and host of the request being served
(so ``PORT=8201 make run`` writes links for 8201, and tasks run eagerly inside that request
too), and outside a request the setting itself, which development builds from ``PORT``.
"""

from __future__ import annotations

from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request_base: ContextVar[str] = ContextVar("hope_request_base_url", default="")


def base_url() -> str:
    """The service's address without a trailing slash, such as ``https://hope.example``."""
    if getattr(settings, "HOPE_BASE_URL_FROM_REQUEST", False):
        from_request = _request_base.get()
        if from_request:
            return from_request
    return str(settings.HOPE_BASE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse`` or a page's URL, starting with ``/``) as a full link."""
    if not path.startswith("/"):
        path = "/" + path
    return base_url() + path


def site_host() -> str:
    """The service's host name from the setting, never from the request: calendar event
    identifiers use it and must stay the same whichever address a page was served on."""
    return urlsplit(str(settings.HOPE_BASE_URL)).hostname or "holdinghope"


class BaseUrlFromRequestMiddleware:
    """In development, remembers the scheme and host of the request being served, so links
    written while serving it point at the server the person is using."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "HOPE_BASE_URL_FROM_REQUEST", False):
            return self.get_response(request)
        try:
            base = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            base = ""
        token = _request_base.set(base)
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
