"""Reads for supervision, scoped so that "not yours" and "missing" are the same 404.

Only the two parties to a relationship ever see its sessions, actions and addenda; a check-in is
the supervisee's alone unless they share it with the supervisor for that session. Organisation
views read dates, durations and types only (``selectors_org``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery

from learning.models import User
from learning.pagination import KeysetPage, PreparedKeyset
from learning.permissions import Person, is_signed_in
from learning.prepared import PreparedQuery, Slots
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionAddendum,
    SupervisionCheckIn,
    SupervisionRelationship,
    SupervisionSession,
    SupervisionTheme,
)

Rel = SupervisionRelationship


def relationships_for(user: Person) -> QuerySet[SupervisionRelationship]:
    """Every relationship the person is a party to, in any state."""
    if not is_signed_in(user):
        return Rel.objects.none()
    return Rel.objects.filter(Q(supervisee_id=user.pk) | Q(supervisor_id=user.pk)).select_related(
        "supervisee", "supervisor"
    )


def active_supervisors_of(user: Person) -> QuerySet[User]:
    """Supervisors in the person's active, accepted relationships (one query)."""
    if not is_signed_in(user):
        return User.objects.none()
    active = Rel.objects.filter(
        supervisor_id=OuterRef("pk"), supervisee_id=user.pk, status=Rel.Status.ACTIVE
    )
    return User.objects.filter(Exists(active), is_active=True).order_by("display_name", "email")


def _with_dates(qs: QuerySet) -> QuerySet:
    latest = SupervisionSession.objects.filter(relationship_id=OuterRef("pk")).order_by(
        "-held_on", "-pk"
    )
    return qs.annotate(
        last_held_on=Subquery(latest.values("held_on")[:1]),
        next_on=Subquery(latest.values("next_on")[:1]),
    )


# What the supervision page shows of each relationship and its two people (a person is shown
# by name or email). Every column read is a column Django's compiler handles for each query:
# two whole user rows a relationship were most of its cost.
_PERSON_FIELDS = ("display_name", "email")
_ROW_FIELDS = (
    "pk",
    "kind",
    "status",
    "started_on",
    "frequency_max_weeks",
    "supervisee_id",
    "supervisor_id",
    *(f"supervisee__{f}" for f in _PERSON_FIELDS),
    *(f"supervisor__{f}" for f in _PERSON_FIELDS),
)
# The same for a session in the supervision page's lists.
SESSION_LIST_FIELDS = (
    "pk",
    "held_on",
    "duration_minutes",
    "format",
    "status",
    "author_id",
    "relationship_id",
    "relationship__kind",
    "relationship__supervisee_id",
    "relationship__supervisor_id",
    *(f"author__{f}" for f in _PERSON_FIELDS),
    *(f"relationship__supervisee__{f}" for f in _PERSON_FIELDS),
    *(f"relationship__supervisor__{f}" for f in _PERSON_FIELDS),
)


@dataclass(frozen=True)
class RelationshipRow:
    relationship: SupervisionRelationship
    other: User
    as_supervisor: bool
    last_held_on: date | None
    next_on: date | None
    due_by: date
    overdue: bool


def _relationship_rows_query(slots: Slots) -> QuerySet[SupervisionRelationship]:
    return (
        _with_dates(
            relationships_for(User(pk=slots.user_id)).filter(
                status__in=[Rel.Status.PROPOSED, Rel.Status.ACTIVE]
            )
        )
        .only(*_ROW_FIELDS)
        .order_by("status", "supervisee__display_name", "pk")
    )


# The supervision page's hottest reads, built once per process (learning/prepared.py).
_RELATIONSHIP_ROWS = PreparedQuery(
    "supervision.relationship_rows", _relationship_rows_query, slots={"user_id": int}
)


def _unconfirmed_query(slots: Slots) -> QuerySet[SupervisionSession]:
    return (
        unconfirmed_records(User(pk=slots.user_id))
        .only(*SESSION_LIST_FIELDS)
        .order_by("held_on", "pk")[:UNCONFIRMED_SHOWN]
    )


UNCONFIRMED_SHOWN = 100
_UNCONFIRMED = PreparedQuery("supervision.unconfirmed", _unconfirmed_query, slots={"user_id": int})


def unconfirmed_shown(user: User) -> list[SupervisionSession]:
    """The first hundred of the person's records not yet confirmed by both, oldest first
    (one query)."""
    if not is_signed_in(user):
        return []
    return _UNCONFIRMED.all(user_id=user.pk)


def relationship_rows(user: User, *, today: date) -> list[RelationshipRow]:
    """The person's proposed and active relationships with last and next session dates and
    whether a session is overdue by the agreed frequency (one query, however many)."""
    if not is_signed_in(user):
        return []
    rows = []
    # Each carries the two dates the query annotates (last_held_on, next_on).
    annotated: list[Any] = _RELATIONSHIP_ROWS.all(user_id=user.pk)
    for r in annotated:
        base = r.last_held_on or r.started_on
        due_by = base + timedelta(weeks=r.frequency_max_weeks)
        rows.append(
            RelationshipRow(
                relationship=r,
                other=r.other_party(user),
                as_supervisor=r.supervisor_id == user.pk,
                last_held_on=r.last_held_on,
                next_on=r.next_on,
                due_by=due_by,
                overdue=r.is_active and due_by < today,
            )
        )
    return rows


def sessions_visible_to(user: Person) -> QuerySet[SupervisionSession]:
    """Sessions of every relationship the person is a party to (ended ones included)."""
    if not is_signed_in(user):
        return SupervisionSession.objects.none()
    return SupervisionSession.objects.filter(
        Q(relationship__supervisee_id=user.pk) | Q(relationship__supervisor_id=user.pk)
    ).select_related("relationship__supervisee", "relationship__supervisor", "author")


SESSIONS_PAGE_SIZE = 20


def _sessions(slots: Slots) -> QuerySet[SupervisionSession]:
    return sessions_visible_to(User(pk=slots.user_id)).only(*SESSION_LIST_FIELDS)


_SESSIONS = PreparedKeyset(
    "supervision.sessions",
    _sessions,
    slots={"user_id": int},
    order=("-held_on", "-pk"),
    kinds=(date, int),
    size=SESSIONS_PAGE_SIZE,
)


def sessions_page(user: User, *, cursor: str | None) -> KeysetPage:
    """A page of the sessions the person is a party to, the most recent first (one query)."""
    if not is_signed_in(user):
        return KeysetPage(items=[], next_cursor=None, has_previous=False)
    return _SESSIONS.page(cursor=cursor, user_id=user.pk)


def unconfirmed_records(user: User) -> QuerySet[SupervisionSession]:
    """The person's records that both have not yet confirmed (waiting for them, for the other
    person, or for a change the other person asked for)."""
    return sessions_visible_to(user).exclude(status=SupervisionSession.Status.LOCKED)


def open_actions_for(user: Person, *, limit: int = 20) -> list[SupervisionAction]:
    """Open actions of every relationship the person is a party to, soonest due first (one
    query). Used by the supervision page and the "My home" panel."""
    if not is_signed_in(user):
        return []
    return _OPEN_ACTIONS.all(shape=(limit,), user_id=user.pk)


def _open_actions_query(slots: Slots, limit: int) -> QuerySet[SupervisionAction]:
    return (
        SupervisionAction.objects.filter(status=SupervisionAction.Status.OPEN)
        .filter(
            Q(relationship__supervisee_id=slots.user_id)
            | Q(relationship__supervisor_id=slots.user_id)
        )
        .select_related("owner", "session")
        .only(
            "pk",
            "text",
            "due_on",
            "status",
            "owner__display_name",
            "owner__email",
            "session__id",
            "session__held_on",
            "relationship_id",
        )
        .order_by("due_on", "pk")[:limit]
    )


_OPEN_ACTIONS = PreparedQuery(
    "supervision.open_actions", _open_actions_query, slots={"user_id": int}
)


def session_actions(session: SupervisionSession) -> tuple[list, list]:
    """This session's actions, and open actions carried over from the relationship's earlier
    sessions (one query)."""
    rows = list(
        SupervisionAction.objects.filter(relationship_id=session.relationship_id)
        .filter(
            Q(session_id=session.pk)
            | Q(status=SupervisionAction.Status.OPEN, session__held_on__lte=session.held_on)
        )
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    own = [a for a in rows if a.session_id == session.pk]
    carried = [a for a in rows if a.session_id != session.pk]
    return own, carried


def carried_actions_for_relationship(
    relationship: SupervisionRelationship,
) -> list[SupervisionAction]:
    """Open actions a new session of this relationship starts with (one query)."""
    return list(
        SupervisionAction.objects.filter(
            relationship_id=relationship.pk, status=SupervisionAction.Status.OPEN
        )
        .select_related("owner")
        .order_by("due_on", "pk")
    )


def checkin_visible_to(user: Person, session: SupervisionSession) -> SupervisionCheckIn | None:
    """The supervisee's check-in for the session: theirs always; the supervisor's only when
    shared for this session; nobody else's ever (one query, none for anyone else)."""
    if not is_signed_in(user):
        return None
    rel = session.relationship
    qs = SupervisionCheckIn.objects.filter(session_id=session.pk, supervisee_id=rel.supervisee_id)
    if user.pk == rel.supervisee_id:
        return qs.first()
    if user.pk == rel.supervisor_id:
        return qs.filter(shared_with_supervisor=True).first()
    return None


def addenda_of(session: SupervisionSession) -> list[SupervisionAddendum]:
    return list(session.addenda.select_related("author").order_by("created_at", "pk"))


def action_visible_to(user: Person, pk: int) -> SupervisionAction | None:
    if not is_signed_in(user):
        return None
    return (
        SupervisionAction.objects.filter(pk=pk)
        .filter(Q(relationship__supervisee_id=user.pk) | Q(relationship__supervisor_id=user.pk))
        .select_related("relationship")
        .first()
    )


def offered_themes() -> QuerySet[SupervisionTheme]:
    return SupervisionTheme.objects.filter(active=True).order_by("order", "name")


@dataclass(frozen=True)
class Upcoming:
    relationship_id: int
    on: date
    other_name: str
    kind_label: str


def upcoming_sessions_for(user: User, *, today: date) -> list[Upcoming]:
    """Next session dates of the person's active relationships, from today on (one query)."""
    rows = _with_dates(relationships_for(user).filter(status=Rel.Status.ACTIVE)).filter(
        next_on__gte=today
    )
    return sorted(
        (
            Upcoming(
                relationship_id=r.pk,
                on=r.next_on,
                other_name=str(r.other_party(user)),
                kind_label=str(r.get_kind_display()),
            )
            for r in rows
        ),
        key=lambda u: (u.on, u.relationship_id),
    )


def last_session_dates(relationship_ids: list[int]) -> dict[int, date]:
    return dict(
        SupervisionSession.objects.filter(relationship_id__in=relationship_ids)
        .values("relationship_id")
        .annotate(last=Max("held_on"))
        .values_list("relationship_id", "last")
    )
