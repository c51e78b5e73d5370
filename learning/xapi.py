"""Learning records out: learning events as xAPI 1.0.3 statements, sent to a learning record
store (LRS) the deployment configures (``HOPE_XAPI_ENDPOINT``; off while it is empty).

Apps call ``record_learning_event(...)`` from their services, inside the transaction of the
change: a statement row (``XapiStatement``, a durable queue) is written with it, and a send is
queued on commit. The sender (``hope.xapi.statements_send``, also run by beat every minute)
posts due statements in batches, with the statement id set by us, so a statement sent twice is
stored once (the store answers 409 or 204 for an id it has). A failure leaves the rows queued
with their attempts counted and the next attempt pushed back (exponential, up to six hours).

What is sent: who (an opaque account name, never an email address unless the deployment opts
in with ``HOPE_XAPI_ACTOR_MBOX``), the verb, the activity (an id built from the site's base URL
and the page's stable id, and its title) and for checks only whether the answer was right and
the score. Never an answer's text, a journal entry, supervision notes or anything posted in the
community. The core imports no app: apps name their activities.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from learning.models import User
from learning.site_url import absolute_url, base_url
from learning.xapi_models import XapiStatement

logger = logging.getLogger(__name__)

VERSION = "1.0.3"
Status = XapiStatement.Status

# The ADL verbs (and the Tin Can registry's "earned"), with their display names.
VERBS: dict[str, tuple[str, str]] = {
    "attempted": ("http://adlnet.gov/expapi/verbs/attempted", "attempted"),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "completed"),
    "answered": ("http://adlnet.gov/expapi/verbs/answered", "answered"),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "passed"),
    "earned": ("http://id.tincanapi.com/verb/earned", "earned"),
    "attended": ("http://adlnet.gov/expapi/verbs/attended", "attended"),
}
ACTIVITY_TYPES: dict[str, str] = {
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "check": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "certificate": "https://w3id.org/xapi/cmi5/activitytype/certificate",
    "session": "http://adlnet.gov/expapi/activities/meeting",
}
MAX_BACKOFF = timedelta(hours=6)
FIRST_BACKOFF = timedelta(seconds=30)
# A statement the store keeps refusing as malformed (400) is set aside after this many tries.
GIVE_UP_AFTER = 5


@dataclass(frozen=True)
class Activity:
    """What a statement is about: ``kind`` (a key of ``ACTIVITY_TYPES``) and ``key`` (the
    page's or row's stable id) make the activity id; ``name`` is its title (a page title, never
    anything a person wrote)."""

    kind: str
    key: str | int
    name: str = ""

    def as_object(self) -> dict:
        definition: dict = {"type": ACTIVITY_TYPES[self.kind]}
        if self.name:
            definition["name"] = {"en-GB": self.name}
        return {
            "objectType": "Activity",
            "id": activity_id(self.kind, self.key),
            "definition": definition,
        }


def xapi_enabled() -> bool:
    return bool(getattr(settings, "HOPE_XAPI_ENDPOINT", ""))


def activity_id(kind: str, key: str | int) -> str:
    """An IRI for the activity under the site's base URL (an identifier; it need not resolve)."""
    return absolute_url(f"/xapi/activities/{kind}/{key}")


def actor_name(user: User) -> str:
    """An opaque, stable name for the person: an HMAC of their id, so the store never learns
    who they are from it and it does not change with their email address."""
    key = settings.HOPE_XAPI_ACTOR_KEY or settings.SECRET_KEY
    return salted_hmac("hope.xapi.actor", str(user.pk), secret=key, algorithm="sha256").hexdigest()[
        :32
    ]


def actor_for(user: User) -> dict:
    if settings.HOPE_XAPI_ACTOR_MBOX and user.email:
        return {"objectType": "Agent", "mbox": f"mailto:{user.email}"}
    return {
        "objectType": "Agent",
        "account": {"homePage": base_url(), "name": actor_name(user)},
    }


def statement_build(
    *,
    statement_id: str,
    user: User,
    verb: str,
    activity: Activity,
    parent: Activity | None = None,
    success: bool | None = None,
    completion: bool | None = None,
    score: int | None = None,
    score_max: int | None = None,
    when: datetime | None = None,
) -> dict:
    """One xAPI statement. The result carries flags and numbers only, by construction."""
    verb_id, display = VERBS[verb]
    statement: dict = {
        "id": statement_id,
        "actor": actor_for(user),
        "verb": {"id": verb_id, "display": {"en-GB": display}},
        "object": activity.as_object(),
        "timestamp": (when or timezone.now()).isoformat(),
        "context": {"platform": "Holding Hope", "language": "en-GB"},
    }
    if parent is not None:
        statement["context"]["contextActivities"] = {"parent": [parent.as_object()]}
    result: dict = {}
    if success is not None:
        result["success"] = bool(success)
    if completion is not None:
        result["completion"] = bool(completion)
    if score is not None:
        top = score_max or 100
        result["score"] = {
            "raw": int(score),
            "min": 0,
            "max": int(top),
            "scaled": round(int(score) / top, 4),
        }
    if result:
        statement["result"] = result
    return statement


def record_learning_event(
    *,
    user: User,
    verb: str,
    activity: Activity,
    parent: Activity | None = None,
    success: bool | None = None,
    completion: bool | None = None,
    score: int | None = None,
    score_max: int | None = None,
) -> XapiStatement | None:
    """Queue one statement in the caller's transaction and a send after it commits. Does
    nothing (returns ``None``) while no learning record store is configured."""
    if not xapi_enabled():
        return None
    row = XapiStatement(user=user, verb=verb, statement={})
    row.statement = statement_build(
        statement_id=str(row.pk),
        user=user,
        verb=verb,
        activity=activity,
        parent=parent,
        success=success,
        completion=completion,
        score=score,
        score_max=score_max,
        when=row.created_at,
    )
    row.save(force_insert=True)
    from learning.queue import enqueue_on_commit

    enqueue_on_commit(xapi_statements_send_task)
    return row


# --- Sending ---------------------------------------------------------------------------------


class StoreError(Exception):
    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


def _request(method: str, url: str, body: object) -> int:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise StoreError("HOPE_XAPI_ENDPOINT must be an http or https address")
    data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (checked)
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", VERSION)
    if settings.HOPE_XAPI_USERNAME or settings.HOPE_XAPI_PASSWORD:
        pair = f"{settings.HOPE_XAPI_USERNAME}:{settings.HOPE_XAPI_PASSWORD}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))
    try:
        with urllib.request.urlopen(request, timeout=settings.HOPE_XAPI_TIMEOUT) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(type(exc).__name__ + ": " + str(getattr(exc, "reason", exc))) from exc


def statements_url() -> str:
    return settings.HOPE_XAPI_ENDPOINT.rstrip("/") + "/statements"


def _claim(batch: int, now: datetime) -> list[XapiStatement]:
    """Take up to ``batch`` due statements, pushing their next attempt back for the length of a
    send, so another sender running at the same time leaves them alone."""
    with transaction.atomic():
        qs = XapiStatement.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by(
            "created_at", "pk"
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        rows = list(qs[:batch])
        XapiStatement.objects.filter(pk__in=[r.pk for r in rows]).update(
            next_attempt_at=now + timedelta(seconds=settings.HOPE_XAPI_TIMEOUT * 3)
        )
    return rows


def backoff(attempts: int) -> timedelta:
    """30 seconds after the first failure, doubling, at most six hours."""
    return min(FIRST_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _failed(rows: list[XapiStatement], error: str, *, refused: bool = False) -> None:
    now = timezone.now()
    for row in rows:
        attempts = row.attempts + 1
        give_up = refused and attempts >= GIVE_UP_AFTER
        XapiStatement.objects.filter(pk=row.pk, status=Status.PENDING).update(
            attempts=attempts,
            last_error=error[:200],
            next_attempt_at=now + backoff(attempts),
            status=Status.FAILED if give_up else Status.PENDING,
        )


def _sent(rows: list[XapiStatement]) -> None:
    XapiStatement.objects.filter(pk__in=[r.pk for r in rows], status=Status.PENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )


def xapi_statements_send(*, batch: int | None = None, now: datetime | None = None) -> int:
    """Send the statements that are due, one batch at a time; returns how many the store now
    holds. A batch the store turns down because one statement is already there (409) is sent
    again one statement at a time with PUT, which stores each at most once."""
    if not xapi_enabled():
        return 0
    sent = 0
    batch = batch or settings.HOPE_XAPI_BATCH
    while True:
        rows = _claim(batch, now or timezone.now())
        if not rows:
            return sent
        try:
            status = _request("POST", statements_url(), [r.statement for r in rows])
        except StoreError as exc:
            logger.warning("Learning record store unreachable; %s statements wait.", len(rows))
            _failed(rows, str(exc))
            return sent
        if status in (200, 204):
            _sent(rows)
            sent += len(rows)
        elif status == 409:
            sent += _send_each(rows)
        else:
            logger.warning("Learning record store answered %s; statements wait.", status)
            _failed(rows, f"HTTP {status}", refused=status == 400)
            return sent
        if len(rows) < batch:
            return sent


def _send_each(rows: list[XapiStatement]) -> int:
    sent = 0
    for row in rows:
        try:
            status = _request("PUT", f"{statements_url()}?statementId={row.pk}", row.statement)
        except StoreError as exc:
            _failed([row], str(exc))
            continue
        if status in (200, 204, 409):  # 409: the store already holds this id
            _sent([row])
            sent += 1
        else:
            _failed([row], f"HTTP {status}", refused=status == 400)
    return sent


def xapi_backlog() -> int:
    return XapiStatement.objects.filter(status=Status.PENDING).count()


@shared_task(name="hope.xapi.statements_send", acks_late=True, ignore_result=True)
def xapi_statements_send_task() -> None:
    xapi_statements_send()


__all__ = [
    "Activity",
    "record_learning_event",
    "statement_build",
    "xapi_enabled",
    "xapi_statements_send",
    "xapi_statements_send_task",
]
