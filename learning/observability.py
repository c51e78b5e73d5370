"""Request ids, structured logs and error reporting.

- Every request gets an id: the incoming ``X-Request-ID`` when the proxy in front is trusted to
  set it (``HOPE_TRUST_REQUEST_ID``) and it looks like an id, otherwise a new one. It is
  returned in the ``X-Request-ID`` response header, written on every log line, stored on
  outbox rows and sent with Celery tasks in a message header, so one id follows a request into
  the worker.
- ``JsonFormatter`` writes one JSON object a log line (production turns it on).
- ``sentry_init`` reports errors to Sentry when ``SENTRY_DSN`` is set; ``sentry_scrub`` removes
  request bodies, cookies, secret-bearing headers, query strings and every local variable's
  value before anything leaves the process.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings

HEADER = "X-Request-ID"
TASK_HEADER = "hope_request_id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_request_id: ContextVar[str] = ContextVar("hope_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def request_id_bound(value: str) -> Iterator[None]:
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


def incoming_request_id(request) -> str:
    """The proxy's id when trusted and well formed, otherwise a new one."""
    if getattr(settings, "HOPE_TRUST_REQUEST_ID", False):
        value = request.headers.get(HEADER, "")
        if _VALID.match(value):
            return value
    return new_request_id()


class RequestIdMiddleware:
    """Gives the request its id for logs, tasks and the response header. Goes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_request_id(request)
        with request_id_bound(request.request_id):
            response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


# --- Celery: the id travels in a message header --------------------------------------------------


def task_publish_add_request_id(headers=None, **_kwargs) -> None:
    """``before_task_publish``: send the current request's id with the task."""
    if headers is not None and not headers.get(TASK_HEADER):
        value = current_request_id()
        if value:
            headers[TASK_HEADER] = value


_TASK_TOKENS: dict[str, object] = {}


def task_prerun_bind_request_id(task_id=None, task=None, **_kwargs) -> None:
    """``task_prerun``: log the task's lines under the id of the request that enqueued it."""
    request = getattr(task, "request", None)
    value = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        TASK_HEADER
    )
    _TASK_TOKENS[task_id] = _request_id.set(value or f"task-{task_id}")


def task_postrun_unbind_request_id(task_id=None, **_kwargs) -> None:
    token = _TASK_TOKENS.pop(task_id, None)
    if token is not None:
        # A token set in another context (a worker thread) has nothing to undo here.
        with contextlib.suppress(ValueError):
            _request_id.reset(token)


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(task_publish_add_request_id, weak=False)
    signals.task_prerun.connect(task_prerun_bind_request_id, weak=False)
    signals.task_postrun.connect(task_postrun_unbind_request_id, weak=False)


# --- structured logs -----------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id() or None,
            "process": record.process,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def logging_config(*, level: str = "INFO", json_lines: bool = True) -> dict:
    """The LOGGING setting: JSON lines (or plain text) to standard error."""
    formatter = "json" if json_lines else "plain"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "learning.observability.JsonFormatter"},
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": formatter}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Gunicorn's own loggers write through the same handler (gunicorn.conf.py).
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }


# --- error reporting -------------------------------------------------------------------------

# Headers that may carry a secret or a session; dropped whatever their case.
_SECRET_HEADER = re.compile(r"auth|cookie|token|secret|session|csrf|key|signature", re.I)
_KEEP_REQUEST = ("method", "url")


def _scrub_frames(container: dict | None) -> None:
    for frame in ((container or {}).get("stacktrace") or {}).get("frames") or []:
        frame.pop("vars", None)


def sentry_scrub(event: dict, hint: dict | None = None) -> dict:
    """``before_send``: keep what locates an error (type, stack, view, request id) and nothing a
    person wrote or a secret: no request body, cookies, query string, secret-bearing headers,
    local variables, user details beyond the id, or breadcrumb data."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {k: request[k] for k in _KEEP_REQUEST if k in request}
        if isinstance(kept.get("url"), str):
            kept["url"] = kept["url"].split("?", 1)[0]
        headers = request.get("headers") or {}
        kept["headers"] = {
            name: value
            for name, value in headers.items()
            if not _SECRET_HEADER.search(name) and name.lower() in {"user-agent", "x-request-id"}
        }
        event["request"] = kept
    for exception in (event.get("exception") or {}).get("values") or []:
        _scrub_frames(exception)
    for thread in (event.get("threads") or {}).get("values") or []:
        _scrub_frames(thread)
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    for crumb in values or []:
        crumb.pop("data", None)
        if crumb.get("category") in {"query", "sql"}:
            crumb.pop("message", None)
    event.pop("extra", None)
    tags = event.setdefault("tags", {})
    if current_request_id():
        tags["request_id"] = current_request_id()
    return event


def sentry_init(*, dsn: str, environment: str, release: str = "", traces: float = 0.0, **extra):
    """Start Sentry with the scrubber and without personal data. ``extra`` is for tests (a
    transport stub)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    return sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        # Personal data stays off (the SDK's default); local variables and bodies are never read.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=sentry_scrub,
        before_send_transaction=sentry_scrub,
        traces_sample_rate=traces,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        **extra,
    )
