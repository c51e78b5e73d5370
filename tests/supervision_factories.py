"""Builders for supervision tests. Relationships and sessions are made directly (fast); the
services are exercised by the tests that need them."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from reflection.supervision.calendar import calendar_token_regenerate
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionRelationship,
    SupervisionSession,
)

from .data_builders import builds_test_data
from .factories import UserFactory

# Appears in every summary, action and check-in note the builders make: pages and exports
# that must never show content are checked for it.
SENTINEL = "SENTINEL-supervision-7c1e"


@builds_test_data
def make_relationship(
    supervisee=None,
    supervisor=None,
    *,
    status: str = "active",
    kind: str = "clinical",
    min_weeks: int = 4,
    max_weeks: int = 6,
    started_on: date | None = None,
) -> SupervisionRelationship:
    supervisee = supervisee or UserFactory()
    supervisor = supervisor or UserFactory()
    agreed = timezone.now()
    return SupervisionRelationship.objects.create(
        supervisee=supervisee,
        supervisor=supervisor,
        proposed_by=supervisor,
        kind=kind,
        status=status,
        frequency_min_weeks=min_weeks,
        frequency_max_weeks=max_weeks,
        started_on=started_on or timezone.localdate() - timedelta(weeks=10),
        confidentiality="Confidential within limits.",
        recording="Dates and a short summary.",
        escalation="Line manager.",
        supervisee_agreed_at=agreed,
        supervisor_agreed_at=agreed if status != "proposed" else None,
    )


@builds_test_data
def make_session(
    rel: SupervisionRelationship,
    *,
    author=None,
    held_on: date | None = None,
    locked: bool = False,
    summary: str = f"We talked about a hard week. {SENTINEL}",
    duration: int = 60,
    format: str = "one_to_one",
    next_on: date | None = None,
    actions: int = 0,
    action_due: date | None = None,
) -> SupervisionSession:
    session = SupervisionSession.objects.create(
        relationship=rel,
        author=author or rel.supervisor,
        held_on=held_on or timezone.localdate() - timedelta(days=7),
        duration_minutes=duration,
        format=format,
        formative=True,
        summary=summary,
        next_on=next_on,
        status="locked" if locked else "submitted",
        locked_at=timezone.now() if locked else None,
    )
    for i in range(actions):
        make_action(session, text=f"Action {i + 1}. {SENTINEL}", due_on=action_due)
    return session


@builds_test_data
def make_action(session, *, owner=None, text: str = f"Read the lesson. {SENTINEL}", due_on=None):
    rel = session.relationship
    return SupervisionAction.objects.create(
        session=session,
        relationship=rel,
        owner=owner or rel.supervisee,
        text=text,
        due_on=due_on,
    )


# --- the permission matrix's objects (made once per context) -----------------------------------


@builds_test_data
def matrix_relationship(ctx: dict) -> SupervisionRelationship:
    if "supervision_rel" not in ctx:
        people = ctx["people"]
        ctx["supervision_rel"] = make_relationship(people["practitioner"], people["supervisor"])
    return ctx["supervision_rel"]


@builds_test_data
def matrix_session(ctx: dict) -> SupervisionSession:
    """A submitted record written by the supervisor, waiting for the practitioner."""
    if "supervision_session" not in ctx:
        ctx["supervision_session"] = make_session(matrix_relationship(ctx))
    return ctx["supervision_session"]


@builds_test_data
def matrix_locked_session(ctx: dict) -> SupervisionSession:
    if "supervision_locked" not in ctx:
        ctx["supervision_locked"] = make_session(
            matrix_relationship(ctx), held_on=timezone.localdate() - timedelta(days=30), locked=True
        )
    return ctx["supervision_locked"]


@builds_test_data
def matrix_confirmable_session(ctx: dict) -> SupervisionSession:
    """A second submitted record, for the row that confirms (and so locks) it."""
    if "supervision_confirmable" not in ctx:
        ctx["supervision_confirmable"] = make_session(matrix_relationship(ctx))
    return ctx["supervision_confirmable"]


@builds_test_data
def matrix_action(ctx: dict) -> SupervisionAction:
    if "supervision_action" not in ctx:
        ctx["supervision_action"] = make_action(matrix_locked_session(ctx))
    return ctx["supervision_action"]


@builds_test_data
def matrix_calendar_token(ctx: dict) -> str:
    if "supervision_token" not in ctx:
        ctx["supervision_token"] = calendar_token_regenerate(user=ctx["people"]["practitioner"])
    return ctx["supervision_token"]
