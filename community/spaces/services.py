"""Joining spaces, approving requests, invitations and accepting the guidelines."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import MemberStatus, ModerationAction, Space, SpaceMember
from community.shared.services import log_action, require_facilitator
from learning import permissions
from learning.models import Membership, User
from learning.notify import action_key, notify, notify_resolve
from learning.services import audit_record


@transaction.atomic
def space_join(*, user: User, space: Space) -> SpaceMember:
    """Join an open space, ask to join a space that takes requests, or take up an invitation."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    member = SpaceMember.objects.select_for_update().filter(space=space, user=user).first()
    if not permissions.can_join_space(user, space, member):
        raise PermissionDenied
    if member is not None and member.is_active:
        return member
    now = timezone.now()
    if space.is_open or (member is not None and member.is_invited):
        status = MemberStatus.ACTIVE
    else:
        status = MemberStatus.REQUESTED
    if member is None:
        member = SpaceMember(space=space, user=user)
    member.status = status
    member.joined_at = now if status == MemberStatus.ACTIVE else None
    member.save()
    if member.is_active:  # an invitation taken up
        notify_resolve(action_on=action_key("community.member", member.pk, "invite"))
    audit_record(
        action="community.member_joined" if member.is_active else "community.member_requested",
        actor=user,
        target=space,
        data={"space_id": space.pk},
    )
    if status == MemberStatus.REQUESTED:
        # Every facilitator in one query (one each was a query per facilitator).
        for facilitator in User.objects.filter(pk__in=space.facilitator_ids()).order_by("pk"):
            notify(
                recipient=facilitator,
                kind="community.join_request",
                message=lambda: _("Someone has asked to join %(space)s.") % {"space": space.name},
                url=reverse("community_members", kwargs={"space": space.slug}),
                key=f"community-join-{member.pk}",
                action_on=action_key("community.member", member.pk, "request"),
            )
    return member


@transaction.atomic
def member_approve(*, actor: User, member: SpaceMember) -> SpaceMember:
    require_facilitator(actor, member.space)
    if member.status != MemberStatus.REQUESTED:
        raise ValidationError(_("This person has not asked to join."))
    member.status = MemberStatus.ACTIVE
    member.joined_at = timezone.now()
    member.save(update_fields=["status", "joined_at"])
    # Answered, for every facilitator who was told of the request.
    notify_resolve(action_on=action_key("community.member", member.pk, "request"))
    log_action(
        actor=actor,
        space=member.space,
        kind=ModerationAction.Kind.MEMBER_APPROVED,
        member=member.user,
    )
    notify(
        recipient=member.user,
        kind="community.join_approved",
        message=lambda: _("You are now a member of %(space)s.") % {"space": member.space.name},
        url=reverse("community_space", kwargs={"space": member.space.slug}),
        key=f"community-joined-{member.pk}",
    )
    return member


INVITED_MESSAGE = _(
    "If that email address belongs to someone with an account, they have been invited and will "
    "see the invitation when they sign in."
)


@transaction.atomic
def member_invite(*, actor: User, space: Space, email: str) -> SpaceMember | None:
    """Invite the person with ``email``. Whether anyone has an account with that address is
    not said (the same message follows either way): ``None`` when nobody has."""
    require_facilitator(actor, space)
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        return None
    member, created = SpaceMember.objects.get_or_create(
        space=space, user=user, defaults={"status": MemberStatus.INVITED}
    )
    if not created:
        if member.status == MemberStatus.ACTIVE:
            raise ValidationError({"email": _("That person is already a member.")})
        member.status = MemberStatus.INVITED
        member.save(update_fields=["status"])
    log_action(actor=actor, space=space, kind=ModerationAction.Kind.MEMBER_INVITED, member=user)
    notify(
        recipient=user,
        kind="community.invited",
        message=lambda: _("You are invited to join %(space)s.") % {"space": space.name},
        url=reverse("community_index"),
        key=f"community-invited-{member.pk}",
        action_on=action_key("community.member", member.pk, "invite"),
    )
    return member


@transaction.atomic
def guidelines_accept(*, user: User, space: Space) -> SpaceMember:
    """Record that a member has accepted the space's guidelines (before their first post).
    Facilitators who are not yet members become members by accepting."""
    member = SpaceMember.objects.select_for_update().filter(space=space, user=user).first()
    if not permissions.can_take_part(user, space, member):
        raise PermissionDenied
    if member is None:
        member = SpaceMember(space=space, user=user)
    if not member.is_active:
        # Only a facilitator takes part without being an active member: accepting makes them one.
        member.status = MemberStatus.ACTIVE
        member.joined_at = timezone.now()
    if member.guidelines_accepted_at is None:
        member.guidelines_accepted_at = timezone.now()
        member.save()
        audit_record(
            action="community.guidelines_accepted",
            actor=user,
            target=space,
            data={"space_id": space.pk},
        )
    return member


def _facilitator_change(*, actor: User, space: Space, person: User, appoint: bool) -> None:
    if not permissions.can_appoint_facilitator(actor, space, person):
        raise PermissionDenied
    if appoint:
        space.facilitators.add(person)
    else:
        space.facilitators.remove(person)
    space.forget_facilitators()
    audit_record(
        action="community.facilitator_appointed" if appoint else "community.facilitator_removed",
        actor=actor,
        target=space,
        data={"space_id": space.pk, "user_id": person.pk},
    )
    if appoint:
        message = gettext_lazy("You are now a facilitator of %(space)s.")
    else:
        message = gettext_lazy("You are no longer a facilitator of %(space)s.")
    notify(
        recipient=person,
        kind="community.facilitator",
        message=lambda: message % {"space": space.name},
        url=reverse("community_space", kwargs={"space": space.slug}),
        key=f"community-facilitator-{space.pk}-{person.pk}-{int(appoint)}-{int(timezone.now().timestamp())}",
    )


def outside_organisation(organisation_id: int | None, people: list[User]) -> list[User]:
    """Those of ``people`` who are not active members of the organisation a space belongs to
    (nobody, for a space of no organisation): they cannot be its facilitators."""
    if organisation_id is None or not people:
        return []
    members = set(
        Membership.objects.active()
        .filter(organisation_id=organisation_id, user__in=[p.pk for p in people])
        .values_list("user_id", flat=True)
    )
    return [person for person in people if person.pk not in members]


@transaction.atomic
def space_facilitator_appoint(*, actor: User, space: Space, person: User) -> None:
    """Make ``person`` a facilitator of ``space``: only the national coordinator or an admin of
    the space's organisation, never for themselves (a facilitator can reveal anonymous
    authors), and only a member of the space's organisation when it has one. Audited; the
    person is told."""
    if person.pk in space.facilitator_ids():
        return
    if outside_organisation(space.organisation_id, [person]):
        # Checked after the rule, so nobody learns who belongs to an organisation they do not run.
        if not permissions.can_appoint_facilitator(actor, space, person):
            raise PermissionDenied
        raise ValidationError(
            {"person": _("Choose a member of the organisation this space belongs to.")}
        )
    _facilitator_change(actor=actor, space=space, person=person, appoint=True)


@transaction.atomic
def space_facilitator_remove(*, actor: User, space: Space, person: User) -> None:
    """Stop ``person`` facilitating ``space`` (the same people may do it as appoint)."""
    if person.pk not in space.facilitator_ids():
        return
    _facilitator_change(actor=actor, space=space, person=person, appoint=False)
