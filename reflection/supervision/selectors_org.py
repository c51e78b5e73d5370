"""Organisation-level supervision figures: dates, durations and types only, never summaries,
check-ins or action text. Aggregated in the database, so the number of queries does not grow
with the number of members. A later Reports feature reuses these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from learning import permissions
from learning.models import Membership, Organisation, Role, User
from learning.permissions import Person
from reflection.supervision.models import SupervisionRelationship, SupervisionSession

Rel = SupervisionRelationship


@dataclass(frozen=True)
class MemberFrequency:
    user_id: int
    name: str
    last_session_on: date | None
    sessions_12_months: int
    minutes_12_months: int
    kinds: tuple[str, ...]
    max_weeks: int | None
    status: str  # "within", "overdue" or "none" (no active supervision)

    @property
    def within(self) -> bool:
        return self.status == "within"


def organisations_with_supervision_view(user: Person) -> QuerySet[Organisation]:
    """Organisations whose supervision figures ``user`` may see: those they administer
    (from the cached roles, so the detail view's lookup is its only query)."""
    if not permissions.is_signed_in(user):
        return Organisation.objects.none()
    ids = [o.pk for o in permissions.roles_for(user).organisations_with_role(Role.ORG_ADMIN)]
    return Organisation.objects.filter(pk__in=ids)


def _members(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.active().filter(organisation=organisation, user=OuterRef("pk"))


def member_frequency_queryset(organisation: Organisation, *, today: date) -> QuerySet[User]:
    """Active members annotated with their supervision figures as supervisees, for paging.
    ``member_frequency_rows`` turns a page of them into ``MemberFrequency`` rows."""
    since = today - timedelta(days=365)
    sessions = SupervisionSession.objects.filter(relationship__supervisee_id=OuterRef("pk"))
    recent = sessions.filter(held_on__gte=since).values("relationship__supervisee_id")
    active = Rel.objects.filter(supervisee_id=OuterRef("pk"), status=Rel.Status.ACTIVE).values(
        "supervisee_id"
    )
    kind_flags = {f"kind_{k}": Exists(active.filter(kind=k).values("pk")) for k in Rel.Kind.values}
    return (
        User.objects.filter(Exists(_members(organisation)))
        .annotate(
            last_session_on=Subquery(sessions.order_by("-held_on").values("held_on")[:1]),
            n_recent=Coalesce(
                Subquery(recent.annotate(n=Count("pk")).values("n")[:1]),
                0,
                output_field=IntegerField(),
            ),
            minutes_recent=Coalesce(
                Subquery(recent.annotate(m=Sum("duration_minutes")).values("m")[:1]),
                0,
                output_field=IntegerField(),
            ),
            max_weeks=Subquery(
                active.annotate(w=Min("frequency_max_weeks")).values("w")[:1],
                output_field=IntegerField(),
            ),
            first_started=Subquery(active.annotate(s=Min("started_on")).values("s")[:1]),
            **kind_flags,
        )
        .only("pk", "display_name", "email")
    )


def member_frequency_rows(users: Iterable[Any], *, today: date) -> list[MemberFrequency]:
    """Rows from annotated members (no queries): whether supervision is within the agreed
    frequency is the tightest agreed maximum since the last session, or since it started."""
    labels = dict(Rel.Kind.choices)
    out = []
    for u in users:
        if u.max_weeks is None:
            status = "none"
        else:
            base = max(d for d in (u.last_session_on, u.first_started) if d is not None)
            status = "within" if today <= base + timedelta(weeks=u.max_weeks) else "overdue"
        out.append(
            MemberFrequency(
                user_id=u.pk,
                name=str(u),
                last_session_on=u.last_session_on,
                sessions_12_months=u.n_recent,
                minutes_12_months=u.minutes_recent,
                kinds=tuple(str(labels[k]) for k in Rel.Kind.values if getattr(u, f"kind_{k}")),
                max_weeks=u.max_weeks,
                status=status,
            )
        )
    return out


def supervision_frequency_by_member(
    organisation: Organisation, *, today: date
) -> list[MemberFrequency]:
    """Per active member, as a supervisee: last session date, sessions and minutes in the last
    twelve months, the types of their active supervision, and whether it is within the agreed
    frequency. One query, whatever the number of members."""
    qs = member_frequency_queryset(organisation, today=today).order_by("display_name", "email")
    return member_frequency_rows(qs, today=today)


def sessions_by_type(organisation: Organisation, *, since: date) -> list[dict]:
    """Sessions since ``since`` whose supervisee is an active member, by relationship type and
    format: number of sessions and minutes (one query)."""
    members = Membership.objects.active().filter(
        organisation=organisation, user_id=OuterRef("relationship__supervisee_id")
    )
    return list(
        SupervisionSession.objects.filter(Exists(members), held_on__gte=since)
        .values("relationship__kind", "format")
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"), last=Max("held_on"))
        .order_by("relationship__kind", "format")
    )


__all__ = [
    "MemberFrequency",
    "member_frequency_queryset",
    "member_frequency_rows",
    "organisations_with_supervision_view",
    "sessions_by_type",
    "supervision_frequency_by_member",
]
