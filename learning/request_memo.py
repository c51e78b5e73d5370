"""A scratch object that lives for one request, for values many objects need once a request.

Wagtail builds every page link from the list of site root paths, which it reads from the shared
cache (a Redis round trip) once per page object unless it is handed something to keep it on. A
page listing 25 modules would pay 25 round trips; with the request's memo it pays one. Outside a
request (tasks, commands) there is no memo and Wagtail behaves as it always does.
"""

from __future__ import annotations

from contextvars import ContextVar


class RequestMemo:
    """Attributes set on it last until the end of the request."""


_current: ContextVar[RequestMemo | None] = ContextVar("hope_request_memo", default=None)


def current() -> RequestMemo | None:
    """The memo of the request being served, or ``None`` outside a request."""
    return _current.get()


class RequestMemoMiddleware:
    """Gives each request a fresh memo and forgets it when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(RequestMemo())
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


# --- cache values read early, with something else ----------------------------------------------
# A signed-in page reads several small per-person values from the cache (roles, facts, the unread
# count). Reading them in one round trip (``learning.permissions.roles_for``) leaves the ones not
# needed yet here until the code that owns them asks (``recall``); whatever forgets a value in
# the cache forgets it here too (``forget``), so a value changed during the request is read again.


def keep(values: dict) -> None:
    """Keep cache values read for later in this request (``None``: not in the cache)."""
    memo = current()
    if memo is not None:
        memo.__dict__.setdefault("cache_values", {}).update(values)


def recall(key: str):
    """The value kept for ``key`` this request, or ``None`` (not kept, or not in the cache)."""
    memo = current()
    if memo is None:
        return None
    return memo.__dict__.get("cache_values", {}).get(key)


def forget(key: str) -> None:
    memo = current()
    if memo is not None:
        memo.__dict__.get("cache_values", {}).pop(key, None)
