"""The one permission rulebook.

Every decision about who may do what is made here, from a person's active memberships and
platform groups. Views and services ask these functions; templates receive their answers.
Detail views never ask "may I see object X?": they fetch through a scoped selector, so "not
yours" and "does not exist" are the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from learning.models import Membership, Organisation, Role

CONTENT_EDITORS = "Content editors"
NATIONAL_COORDINATORS = "National coordinators"
PLATFORM_GROUPS = (CONTENT_EDITORS, NATIONAL_COORDINATORS)

PRIVILEGED_ROLES = frozenset({Role.SUPERVISOR, Role.FACILITATOR, Role.ORG_ADMIN})


@dataclass(frozen=True)
class RoleSet:
    """What one person is, worked out once per request (two queries at most)."""

    memberships: tuple[Membership, ...] = ()
    groups: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False

    def roles_in(self, organisation: Organisation) -> set[str]:
        return {m.role for m in self.memberships if m.organisation_id == organisation.pk}

    def has_role(self, role: str) -> bool:
        return any(m.role == role for m in self.memberships)

    def organisations_with_role(self, role: str) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for m in self.memberships:
            if m.role == role:
                seen.setdefault(m.organisation_id, m.organisation)
        return list(seen.values())

    @property
    def organisations(self) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for m in self.memberships:
            seen.setdefault(m.organisation_id, m.organisation)
        return list(seen.values())

    @property
    def is_editor(self) -> bool:
        return CONTENT_EDITORS in self.groups

    @property
    def is_coordinator(self) -> bool:
        return NATIONAL_COORDINATORS in self.groups

    @property
    def is_privileged(self) -> bool:
        return (
            self.is_superuser
            or bool(self.groups & set(PLATFORM_GROUPS))
            or any(m.role in PRIVILEGED_ROLES for m in self.memberships)
        )


_CACHE_ATTR = "_hope_roles"
# Roles are read on every signed-in page, so they are cached (briefly, and dropped whenever a
# membership or group changes; see learning.receivers).
ROLES_CACHE_SECONDS = 300


def _roles_cache_key(user_id: int) -> str:
    return f"hope:roles:{user_id}:{timezone.localdate().isoformat()}"


def roles_for(user) -> RoleSet:
    """The person's roles: from the request, else the cache, else two queries."""
    if user is None or not user.is_authenticated or not user.is_active:
        return RoleSet()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        key = _roles_cache_key(user.pk)
        stored = cache.get(key)
        if stored is None:
            memberships = tuple(
                Membership.objects.active().filter(user=user).select_related("organisation")
            )
            groups = frozenset(user.groups.values_list("name", flat=True))
            stored = (memberships, groups)
            cache.set(key, stored, ROLES_CACHE_SECONDS)
        memberships, groups = stored
        cached = RoleSet(memberships=memberships, groups=groups, is_superuser=user.is_superuser)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user) -> None:
    """Call after changing someone's roles."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    forget_roles_for_id(user.pk)


def forget_roles_for_id(user_id: int) -> None:
    cache.delete(_roles_cache_key(user_id))


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_privileged(user) -> bool:
    return is_signed_in(user) and roles_for(user).is_privileged


def requires_two_factor(user) -> bool:
    return bool(settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED) and is_privileged(user)


def can_manage_members(user, organisation: Organisation) -> bool:
    """Organisation admins invite and manage the members of their own organisation."""
    if not is_signed_in(user):
        return False
    return Role.ORG_ADMIN in roles_for(user).roles_in(organisation)


def can_invite_with_role(user, organisation: Organisation, role: str) -> bool:
    return can_manage_members(user, organisation) and role in Role.values


def can_use_cms(user) -> bool:
    """The Wagtail admin is for content editors and superusers."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_superuser or r.is_editor


def can_view_national_reports(user) -> bool:
    return is_signed_in(user) and roles_for(user).is_coordinator


def can_view_audit_log(user) -> bool:
    return is_signed_in(user) and user.is_superuser


def can_keep_journal(user) -> bool:
    """Anyone signed in keeps their own private journal."""
    return is_signed_in(user)


def can_change_journal_entry(user, entry) -> bool:
    """A journal entry belongs to its author alone: nobody else, superusers included."""
    return is_signed_in(user) and entry.author_id == user.pk


# --- Supervision ---------------------------------------------------------------------------
# Rules for supervision relationships, sessions, check-ins and actions (reflection.supervision).
# Objects come from the scoped selectors; these rules decide what a party may do with them.


def can_use_supervision(user) -> bool:
    """Anyone signed in keeps their own supervision records."""
    return is_signed_in(user)


def is_supervision_party(user, relationship) -> bool:
    """The supervisee and the supervisor of a relationship, and nobody else."""
    parties = (relationship.supervisee_id, relationship.supervisor_id)
    return is_signed_in(user) and user.pk in parties


def can_answer_supervision_proposal(user, relationship) -> bool:
    """The person who did not propose accepts or declines."""
    return (
        is_supervision_party(user, relationship)
        and relationship.status == "proposed"
        and relationship.proposed_by_id != user.pk
    )


def can_record_supervision_session(user, relationship) -> bool:
    return is_supervision_party(user, relationship) and relationship.status == "active"


def can_change_supervision_session(user, session) -> bool:
    """Only the writer changes a record, and never once both have confirmed it."""
    return is_signed_in(user) and session.author_id == user.pk and session.status != "locked"


def can_confirm_supervision_session(user, session) -> bool:
    """The other party confirms (or asks for a change to) a submitted record."""
    return (
        is_supervision_party(user, session.relationship)
        and session.author_id != user.pk
        and session.status == "submitted"
    )


def can_add_supervision_addendum(user, session) -> bool:
    return is_supervision_party(user, session.relationship) and session.status == "locked"


def can_check_in(user, session) -> bool:
    """The supervisee's own check-in, until the record is locked."""
    return (
        is_signed_in(user)
        and session.relationship.supervisee_id == user.pk
        and session.status != "locked"
    )


def can_view_organisation_supervision(user, organisation: Organisation) -> bool:
    """Organisation admins see supervision frequency (dates, durations, types), never content."""
    return is_signed_in(user) and Role.ORG_ADMIN in roles_for(user).roles_in(organisation)


# --- Community -----------------------------------------------------------------------------
# Rules for spaces, threads, posts and moderation (community).


def can_manage_community_spaces(user) -> bool:
    """Content editors and national coordinators create spaces and choose facilitators."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_superuser or r.is_editor or r.is_coordinator


def can_moderate_space(user, space) -> bool:
    """Only a space's own facilitators moderate it (``space.facilitator_ids()``)."""
    return is_signed_in(user) and user.pk in space.facilitator_ids()


def can_read_space(user, space, member) -> bool:
    """Open spaces are read by anyone signed in; others by active members and facilitators.
    ``member`` is the person's space membership or ``None``."""
    if not is_signed_in(user):
        return False
    if space.membership_policy == "open" or can_moderate_space(user, space):
        return True
    return member is not None and member.status == "active"


def can_post_in_space(user, space, member) -> bool:
    """Active, unsuspended members (and facilitators) post; first the guidelines are accepted
    (checked separately, so the person can be sent to them)."""
    if not is_signed_in(user):
        return False
    if can_moderate_space(user, space):
        return True
    return member is not None and member.status == "active" and not member.is_suspended


def can_reply_in_thread(user, thread, member) -> bool:
    if thread.locked:
        return can_moderate_space(user, thread.space)
    return can_post_in_space(user, thread.space, member)


def can_change_post(user, post) -> bool:
    """Authors edit their own posts while they are not rejected or hidden."""
    return (
        is_signed_in(user) and post.author_id == user.pk and post.status in ("pending", "published")
    )


# --- Reports -------------------------------------------------------------------------------
# Organisation reports (figures only, never content) and national aggregated reports.


def can_view_organisation_reports(user, organisation: Organisation) -> bool:
    """Organisation admins see their own organisation's reports, and nobody else does."""
    return is_signed_in(user) and Role.ORG_ADMIN in roles_for(user).roles_in(organisation)


def can_view_any_reports(user) -> bool:
    """Whether the Reports area opens for the person at all."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_coordinator or r.has_role(Role.ORG_ADMIN)
