"""The one permission rulebook.

Every decision about who may do what is made here, from a person's active memberships and
platform groups. Views and services ask these functions; templates receive their answers as
booleans and sentences, never working a rule out again. Detail views never ask "may I see
object X?": they fetch through a scoped selector, so "not yours" and "does not exist" are the
same 404.

The core imports no other local app, so rules about other apps' objects take the objects they
are given and read their state through the owning model's own predicates (``thread.is_locked``,
``relationship.is_proposed``); the Protocols in ``learning.permission_types`` say what each
rule reads.

The rules are kept by area in this package's modules (``roles``: who a person is; ``community``;
``supervision``) and every one is imported here, so callers ask ``learning.permissions``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from learning.models import Organisation, Role
from learning.permission_types import JournalEntryLike, ModuleLike, PrerequisiteLike
from learning.permissions.community import (
    PostRules,
    can_accept_answer,
    can_accept_reply,
    can_appoint_any_facilitators,
    can_appoint_facilitator,
    can_appoint_facilitators,
    can_change_post,
    can_change_session,
    can_curate_resources,
    can_decide_reveal,
    can_join_space,
    can_manage_community_spaces,
    can_mark_helped,
    can_mention_in_space,
    can_moderate_space,
    can_read_space,
    can_report_post,
    can_request_reveal,
    can_see_revealed_author,
    can_see_session_joining,
    can_sign_up_to_session,
    can_take_part,
    can_view_reveal_request,
    can_withdraw_from_session,
    post_decision,
    post_rules,
    reply_decision,
)
from learning.permissions.roles import (
    CONTENT_EDITORS,
    FACILITATES,
    NATIONAL_COORDINATORS,
    PLATFORM_GROUPS,
    PRIVILEGED_ROLES,
    ROLES_CACHE_SECONDS,
    Person,
    RoleSet,
    forget_roles,
    forget_roles_for_id,
    is_signed_in,
    person_cache_keys,
    read_with_roles,
    role_fact_register,
    role_facts_for_id,
    roles_for,
)
from learning.permissions.supervision import (
    can_add_supervision_addendum,
    can_answer_supervision_proposal,
    can_change_supervision_session,
    can_check_in,
    can_confirm_supervision_session,
    can_record_supervision_session,
    can_use_supervision,
    can_view_organisation_supervision,
    is_supervision_party,
)

# Every rule and role helper, wherever in the package it is kept.
__all__ = [
    "CONTENT_EDITORS",
    "FACILITATES",
    "NATIONAL_COORDINATORS",
    "PLATFORM_GROUPS",
    "PRIVILEGED_ROLES",
    "ROLES_CACHE_SECONDS",
    "Person",
    "PostRules",
    "RoleSet",
    "can_accept_answer",
    "can_accept_reply",
    "can_add_supervision_addendum",
    "can_answer_supervision_proposal",
    "can_appoint_any_facilitators",
    "can_appoint_facilitator",
    "can_appoint_facilitators",
    "can_change_journal_entry",
    "can_change_post",
    "can_change_session",
    "can_change_supervision_session",
    "can_check_in",
    "can_confirm_supervision_session",
    "can_curate_resources",
    "can_decide_reveal",
    "can_invite_with_role",
    "can_join_space",
    "can_keep_journal",
    "can_link_email_domains",
    "can_manage_community_spaces",
    "can_manage_members",
    "can_mark_helped",
    "can_mention_in_space",
    "can_moderate_space",
    "can_read_space",
    "can_record_supervision_session",
    "can_report_post",
    "can_request_reveal",
    "can_see_revealed_author",
    "can_see_session_joining",
    "can_sign_up_to_session",
    "can_start_module",
    "can_take_part",
    "can_use_cms",
    "can_use_supervision",
    "can_view_any_reports",
    "can_view_audit_log",
    "can_view_national_reports",
    "can_view_organisation_reports",
    "can_view_organisation_supervision",
    "can_view_reveal_request",
    "can_withdraw_from_session",
    "forget_roles",
    "forget_roles_for_id",
    "is_privileged",
    "is_signed_in",
    "is_supervision_party",
    "person_cache_keys",
    "post_decision",
    "post_rules",
    "prerequisites_decide",
    "read_with_roles",
    "reply_decision",
    "requires_two_factor",
    "role_fact_register",
    "role_facts_for_id",
    "roles_for",
    "sees_moderation",
    "sees_organisation_admin",
    "sees_reports",
]

# --- Links in the header --------------------------------------------------------------------------
# Which of the role-specific areas the header links to (each area's ``visible``). Every answer
# comes from the roles and facts above, cached per person, so the header costs no query on a
# page once they are cached.


def sees_moderation(roles: RoleSet) -> bool:
    """People who facilitate at least one space moderate from one queue."""
    return roles.fact(FACILITATES)


def sees_organisation_admin(roles: RoleSet) -> bool:
    """Organisation admins manage members and assignments and read the reports."""
    return roles.has_role(Role.ORG_ADMIN)


def sees_reports(roles: RoleSet) -> bool:
    return roles.is_coordinator or roles.has_role(Role.ORG_ADMIN)


def is_privileged(user: Person) -> bool:
    return is_signed_in(user) and roles_for(user).is_privileged


def requires_two_factor(user: Person) -> bool:
    """With the setting on, privileged people must set up two-factor authentication."""
    return bool(settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED) and is_privileged(user)


def can_manage_members(user: Person, organisation: Organisation) -> bool:
    """Organisation admins invite and manage the members of their own organisation."""
    if not is_signed_in(user):
        return False
    return Role.ORG_ADMIN in roles_for(user).roles_in(organisation)


def can_invite_with_role(user: Person, organisation: Organisation, role: str) -> bool:
    return can_manage_members(user, organisation) and role in Role.values


def can_link_email_domains(user: Person, organisation: Organisation) -> bool:
    """Organisation admins link their organisation's email domains (each proved by a link sent
    to an address at the domain) and remove them."""
    return can_manage_members(user, organisation)


def can_use_cms(user: Person) -> bool:
    """The Wagtail admin is for content editors and superusers."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_superuser or r.is_editor


def can_view_national_reports(user: Person) -> bool:
    return is_signed_in(user) and roles_for(user).is_coordinator


def can_view_audit_log(user: Person) -> bool:
    return is_signed_in(user) and user.is_superuser


def can_start_module(
    user: Person,
    module: ModuleLike,
    prerequisites: Sequence[PrerequisiteLike],
    *,
    started: bool = False,
) -> bool:
    """Whether the person may start a module: signed in, and, where the module's prerequisites
    are required first, every one completed. Prerequisites that are only recommended never stop
    anyone; nor do required ones stop someone who had already started (``started``) before the
    module asked for them."""
    if not is_signed_in(user):
        return False
    if started or not module.prerequisites_required:
        return True
    return all(prerequisite.is_completed for prerequisite in prerequisites)


def prerequisites_decide(module: ModuleLike) -> bool:
    """Whether completing the module's prerequisites can decide ``can_start_module`` (when it
    cannot, nobody need read who has completed what)."""
    return module.prerequisites_required


def can_keep_journal(user: Person) -> bool:
    """Anyone signed in keeps their own private journal."""
    return is_signed_in(user)


def can_change_journal_entry(user: Person, entry: JournalEntryLike) -> bool:
    """A journal entry belongs to its author alone: nobody else, superusers included."""
    return is_signed_in(user) and entry.author_id == user.pk


# --- Reports -------------------------------------------------------------------------------
# Organisation reports (figures only, never content) and national aggregated reports.


def can_view_organisation_reports(user: Person, organisation: Organisation) -> bool:
    """Organisation admins see their own organisation's reports, and nobody else does."""
    return is_signed_in(user) and Role.ORG_ADMIN in roles_for(user).roles_in(organisation)


def can_view_any_reports(user: Person) -> bool:
    """Whether the Reports area opens for the person at all."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_coordinator or r.has_role(Role.ORG_ADMIN)
