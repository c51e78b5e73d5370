"""Writes for the core app. Each service checks permission, changes state and writes its audit
row in one transaction. Keyword-only, typed, named ``<thing>_<verb>``."""

from __future__ import annotations

import secrets
from datetime import time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.models import (
    NOTIFICATION_GROUP_FIELDS,
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    NotificationPreference,
    Organisation,
    Role,
    User,
)
from learning.notify import unread_count_forget
from learning.queue import enqueue_on_commit
from learning.tokens import invitation_token_check


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    target: Any = None,
    organisation: Organisation | None = None,
    ip_address: str | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one row to the audit log. ``data`` holds identifiers and outcomes only, never
    reflective or free-text content."""
    actor = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        organisation=organisation,
        ip_address=ip_address,
        data=data or {},
    )


@transaction.atomic
def membership_create(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation,
    role: str,
    check_permission: bool = True,
) -> Membership:
    """Give ``user`` a role in ``organisation`` (or return the open membership they have)."""
    if check_permission and not permissions.can_manage_members(actor, organisation):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError(_("Choose a role from the list."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, ended_on=None
    )
    if created:
        audit_record(
            action="membership.created",
            actor=actor,
            target=membership,
            organisation=organisation,
            data={"user_id": user.pk, "role": role},
        )
    permissions.forget_roles(user)
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership) -> Membership:
    if not permissions.can_manage_members(actor, membership.organisation):
        raise PermissionDenied
    if membership.user_id == actor.pk:
        raise ValidationError(
            _("You cannot remove your own role. Ask another organisation admin to do it.")
        )
    if membership.ended_on is None:
        membership.ended_on = max(timezone.localdate(), membership.started_on)
        membership.save(update_fields=["ended_on"])
        audit_record(
            action="membership.ended",
            actor=actor,
            target=membership,
            organisation=membership.organisation,
            data={"user_id": membership.user_id, "role": membership.role},
        )
    return membership


@transaction.atomic
def group_membership_set(*, actor: User | None, user: User, group_name: str, member: bool) -> None:
    """Add or remove a platform group (content editor, national coordinator)."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied
    if group_name not in permissions.PLATFORM_GROUPS:
        raise ValidationError(_("That is not a platform group."))
    group, _created = Group.objects.get_or_create(name=group_name)
    if member:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    audit_record(
        action="group.added" if member else "group.removed",
        actor=actor,
        target=user,
        data={"group": group_name},
    )
    permissions.forget_roles(user)


@transaction.atomic
def invitation_create(
    *,
    actor: User | None,
    organisation: Organisation,
    email: str,
    role: str,
    check_permission: bool = True,
) -> Invitation:
    """Invite ``email`` to ``organisation`` with ``role``; the email goes out after commit.
    ``actor`` is None, with ``check_permission=False``, only when the site itself invites (the
    first organisation admin, from ``manage.py bootstrap``)."""
    from learning.tasks import invitation_send_email

    if check_permission and not permissions.can_invite_with_role(actor, organisation, role):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError(_("Choose a role from the list."))
    email = email.strip().lower()
    if actor is not None and email == actor.email.lower():
        # Nobody gives themselves a role: an organisation admin who made themselves a
        # supervisor would be offered every practitioner's reflections for sign-off.
        raise ValidationError(
            _(
                "You cannot invite yourself. Ask another organisation admin or the national "
                "coordinator to give you a new role."
            )
        )
    if (
        Membership.objects.active()
        .filter(organisation=organisation, role=role, user__email__iexact=email)
        .exists()
    ):
        raise ValidationError(
            _("%(email)s already has that role in %(org)s.")
            % {"email": email, "org": organisation.name}
        )
    now = timezone.now()
    # A new invitation replaces any pending one for the same person and role.
    Invitation.objects.filter(
        organisation=organisation, email=email, role=role, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        nonce=secrets.token_urlsafe(24),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.HOPE_INVITATION_DAYS),
    )
    audit_record(
        action="invitation.created",
        actor=actor,
        target=invitation,
        organisation=organisation,
        data={"role": role},
    )
    enqueue_on_commit(invitation_send_email, invitation.pk)
    return invitation


class InvitationError(Exception):
    """Why an invitation link cannot be used, as a sentence for the person holding it."""


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link points to, or ``InvitationError`` saying why it cannot be used."""
    invitation = invitation_token_check(token)
    if invitation is None:
        raise InvitationError(
            _(
                "This invitation link is not valid. Check you copied the whole link from "
                "the email, or ask your organisation admin to send a new invitation."
            )
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            _(
                "This invitation has already been used. Sign in to reach your account, or ask "
                "your organisation admin for a new invitation."
            )
        )
    if invitation.revoked_at is not None:
        raise InvitationError(
            _(
                "This invitation has been replaced or withdrawn. Use the newest invitation "
                "email, or ask your organisation admin to send a new one."
            )
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Ask your organisation admin to send you a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    """The signed-in ``user`` takes up the invitation behind ``token``."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            _(
                "This invitation was sent to a different email address. Sign out, then open "
                "the link again and sign in or sign up with the address it was sent to."
            )
        )
    membership = membership_create(
        actor=user,
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        check_permission=False,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="invitation.accepted",
        actor=user,
        target=invitation,
        organisation=invitation.organisation,
        data={"role": invitation.role},
    )
    return membership


# --- Notifications (sent by ``learning.notify.notify``) -------------------------------------


def notification_open(*, user: User, notification: Notification) -> str:
    """Mark one of ``user``'s notifications read and return where it points."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
        unread_count_forget(user.pk)
    return notification.url


def notification_mark_all_read(*, user: User) -> int:
    marked = Notification.objects.filter(recipient=user, read_at=None).update(
        read_at=timezone.now()
    )
    unread_count_forget(user.pk)
    return marked


@transaction.atomic
def notification_settings_set(
    *,
    user: User,
    choices: dict[str, str],
    quiet_from: time | None,
    quiet_until: time | None,
) -> NotificationPreference:
    """Save a person's email choice for each group of notices and their quiet hours (both
    times or neither, and not the same time)."""
    if set(choices) != set(NOTIFICATION_GROUP_FIELDS) or not set(choices.values()) <= {
        "immediately",
        "daily",
        "off",
    }:
        raise ValidationError(_("Choose how often we should email you."))
    if (quiet_from is None) != (quiet_until is None) or (
        quiet_from is not None and quiet_from == quiet_until
    ):
        raise ValidationError(_("Enter a different start and end time for quiet hours."))
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            **choices,
            "quiet_from": quiet_from,
            "quiet_until": quiet_until,
            "updated_at": timezone.now(),
        },
    )
    user._state.fields_cache["notification_preference"] = preference
    audit_record(
        action="notifications.preference",
        actor=user,
        target=user,
        data={
            **choices,
            "quiet_from": quiet_from.strftime("%H:%M") if quiet_from else None,
            "quiet_until": quiet_until.strftime("%H:%M") if quiet_until else None,
        },
    )
    return preference
