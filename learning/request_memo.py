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
