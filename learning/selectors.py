"""Reads for the core app. Detail views fetch through these scoped querysets so that anything
a person may not see is simply not there (404)."""

from __future__ import annotations

from django.db.models import QuerySet

from learning.models import Invitation, Membership, Notification, Organisation, Role, User


def organisations_administered_by(user: User) -> QuerySet[Organisation]:
    if not (user.is_authenticated and user.is_active):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.active()
        .filter(user=user, role=Role.ORG_ADMIN)
        .values("organisation_id")
    )


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
