"""Reads for the core app. Detail views fetch through these scoped querysets so that anything
a person may not see is simply not there (404)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from learning.models import Invitation, Membership, Notification, Organisation, Role, User
from learning.prepared import PreparedQuery, Slots


def _administered_on(user_id: int, today: date) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=Membership.objects.active(on=today)
        .filter(user_id=user_id, role=Role.ORG_ADMIN)
        .values("organisation_id")
    )


def organisations_administered_by(user: User) -> QuerySet[Organisation]:
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return _administered_on(user.pk, timezone.localdate())


def _administered_by_slug(slots: Slots) -> QuerySet[Organisation]:
    return _administered_on(slots.user_id, slots.today).filter(slug=slots.slug)[:1]


_ADMINISTERED = PreparedQuery(
    "learning.administered_organisation",
    _administered_by_slug,
    slots={"user_id": int, "today": date, "slug": str},
)


def administered_organisation(user: User, slug: str) -> Organisation | None:
    """The organisation ``slug`` if the person administers it today, else ``None`` (so "not
    yours" and "does not exist" look the same). One query, built once per process: every
    organisation admin's page starts with it."""
    if not (user.is_authenticated and user.is_active):
        return None
    return _ADMINISTERED.first(user_id=user.pk, today=timezone.localdate(), slug=slug)


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("user__display_name", "user__email", "role")
    )


def invitations_pending(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, accepted_at=None, revoked_at=None
    ).order_by("-created_at")


def notifications_for(user: User) -> QuerySet[Notification]:
    """A person's own notifications; nobody else's are ever reachable."""
    if not (user.is_authenticated and user.is_active):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)
