"""An anonymous full-page cache for public pages, so public Wagtail pages serve at least 1,000
requests a second from cache on 2 cores (the target in docs/performance.md).

What is cached, and for whom:

* Only ``GET`` and ``HEAD`` requests that carry none of the cookies that change a page (session,
  CSRF, messages, language) and no ``Authorization`` header — someone not signed in, with
  nothing pending. Signed-in people never get a cached page and their pages are never stored
  (their responses are ``private, no-store`` already, from ``PrivateCacheControlMiddleware``).
* Only pages that opted in: Wagtail page serving (the ``before_serve_page`` hook in
  ``learning/wagtail_hooks.py`` marks the request) and views decorated with
  :func:`cache_public_page`.
* Only ``200`` responses that set no cookie, are not streaming, are not marked
  ``private``/``no-store``/``no-cache``, and vary on nothing but ``Cookie`` (we only serve
  requests without the cookies that matter), ``Accept-Language`` (the key includes the
  language the request asks for) and ``Accept-Encoding``.

The middleware sits straight after ``SecurityMiddleware`` and WhiteNoise, so the stored headers
include everything the inner middleware adds (Content Security Policy, Permissions-Policy,
X-Frame-Options) and ``SecurityMiddleware`` adds HSTS and the rest to hits and misses alike:
a cached page carries exactly the headers of a fresh one.

Invalidation: every key includes a generation number, bumped when a page is published,
unpublished, moved, saved or deleted and when a snippet is saved or deleted (signals below, hooks in
``learning/wagtail_hooks.py``); entries also expire after ``HOPE_PAGE_CACHE_SECONDS``. Each
process keeps a small copy of hot entries and reads the generation from the shared cache at most
once a second, so a hit touches neither the database nor Redis.

``HOPE_PAGE_CACHE_SECONDS = 0`` (the default outside production) turns the middleware off.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re
from redis.exceptions import RedisError

OPT_IN = "_hope_page_cache"
GENERATION_KEY = "pagecache:generation"
# How often a process looks at the shared generation number (seconds).
GENERATION_CHECK_SECONDS = 1.0
LOCAL_ENTRIES = 256
MAX_QUERY_STRING = 200
HARMLESS_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
REFUSING_CACHE_CONTROL = frozenset({"private", "no-store", "no-cache"})


def cookies_that_matter() -> tuple[str, ...]:
    return (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        "messages",
        settings.LANGUAGE_COOKIE_NAME,
    )


# --- opting in --------------------------------------------------------------------------------


def mark_cacheable(request) -> None:
    """Let the page cache store this request's response (if it turns out storable)."""
    setattr(request, OPT_IN, True)


def cache_public_page(view):
    """Decorator for public views whose page is the same for everyone not signed in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        mark_cacheable(request)
        return view(request, *args, **kwargs)

    return wrapped


# --- the generation number --------------------------------------------------------------------

_lock = threading.Lock()
_local: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
_generation: dict[str, float] = {"value": 0, "checked": 0.0}


def _shared_generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh (or flushed) cache: start from the clock so an old number is never reused.
        value = int(time.time() * 1000)
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return int(value)


def current_generation() -> int:
    now = time.monotonic()
    if now - _generation["checked"] >= GENERATION_CHECK_SECONDS:
        _generation["value"] = _shared_generation()
        _generation["checked"] = now
    return int(_generation["value"])


def invalidate(*_args, **_kwargs) -> None:
    """Forget every cached page (a signal receiver and a Wagtail hook, hence any arguments)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no number yet (or the cache was flushed)
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)
    except RedisError:
        # Publishing never fails because Redis is down; copies expire within their lifetime.
        pass
    with _lock:
        _local.clear()
    _generation["checked"] = 0.0


def clear_local() -> None:
    """Forget this process's copies (tests)."""
    with _lock:
        _local.clear()
    _generation["checked"] = 0.0


# --- the middleware ---------------------------------------------------------------------------


def _eligible(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    cookies = request.COOKIES
    return not any(name in cookies for name in cookies_that_matter())


def _key(request) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    raw = "\n".join(
        (
            "https" if request.is_secure() else "http",
            host,
            request.path,
            request.META.get("QUERY_STRING", ""),
            # The language the page will be in: without a language cookie (never cached), it
            # comes from Accept-Language, so an English and a Welsh reader get their own copy.
            translation.get_language_from_request(request),
        )
    )
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"pagecache:{current_generation()}:{digest}"


def _storable(request, response) -> bool:
    if not getattr(request, OPT_IN, False):
        return False
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.has_header("Cache-Control"):
        directives = {
            part.split("=", 1)[0].strip().lower()
            for part in cc_delim_re.split(response["Cache-Control"])
        }
        if directives & REFUSING_CACHE_CONTROL:
            return False
    if response.has_header("Vary"):
        varies = {v.strip().lower() for v in cc_delim_re.split(response["Vary"]) if v.strip()}
        if varies - HARMLESS_VARY:
            return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and getattr(messages, "_queued_messages", None))


def _entry(response) -> tuple:
    return (response.status_code, list(response.items()), response.content)


def _response(entry) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class PublicPageCacheMiddleware:
    """Serves and stores public pages for people not signed in (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = int(getattr(settings, "HOPE_PAGE_CACHE_SECONDS", 0) or 0)
        if self.seconds <= 0:
            raise MiddlewareNotUsed
        # The local copies live briefly: the shared cache and the generation stay the truth.
        self.local_seconds = min(self.seconds, 10)

    def _get(self, key: str):
        now = time.monotonic()
        with _lock:
            found = _local.get(key)
            if found is not None:
                if found[0] > now:
                    _local.move_to_end(key)
                    return found[1]
                del _local[key]
        entry = cache.get(key)
        if entry is not None:
            self._remember(key, entry)
        return entry

    def _remember(self, key: str, entry) -> None:
        with _lock:
            _local[key] = (time.monotonic() + self.local_seconds, entry)
            _local.move_to_end(key)
            while len(_local) > LOCAL_ENTRIES:
                _local.popitem(last=False)

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        key = _key(request)
        if key is None:
            return self.get_response(request)
        entry = self._get(key)
        if entry is not None:
            return _response(entry)
        response = self.get_response(request)
        if _storable(request, response):
            entry = _entry(response)
            cache.set(key, entry, self.seconds)
            self._remember(key, entry)
        return response


# --- invalidation by signal (page changes made outside the admin, e.g. scheduled publishing) --


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(invalidate, dispatch_uid="hope-pagecache-published")
    page_unpublished.connect(invalidate, dispatch_uid="hope-pagecache-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="hope-pagecache-moved")
    post_delete.connect(_page_changed, dispatch_uid="hope-pagecache-deleted")
    # A page saved by code rather than published (a data load, a script): the generation also
    # keys the per-process copies of live pages, which must not outlive such a change.
    post_save.connect(_page_changed, dispatch_uid="hope-pagecache-saved")


def _page_changed(sender, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(kwargs.get("instance"), Page):
        invalidate()
