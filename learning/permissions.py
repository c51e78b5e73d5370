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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeGuard

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from learning import request_memo
from learning.models import Membership, Organisation, Role, User
from learning.permission_types import (
    AnswerThreadLike,
    AppointableSpaceLike,
    Decision,
    JournalEntryLike,
    ModuleLike,
    PostLike,
    PrerequisiteLike,
    ReflectiveSessionLike,
    RelationshipLike,
    ReplyLike,
    RevealRequestLike,
    SessionSignupLike,
    SpaceLike,
    SpaceMemberLike,
    SupervisionSessionLike,
    ThreadLike,
    Why,
)

# Who a rule may be asked about: a signed-in person, an anonymous visitor, or nobody.
Person = User | AnonymousUser | None

CONTENT_EDITORS = "Content editors"
NATIONAL_COORDINATORS = "National coordinators"
PLATFORM_GROUPS = (CONTENT_EDITORS, NATIONAL_COORDINATORS)

PRIVILEGED_ROLES = frozenset({Role.SUPERVISOR, Role.FACILITATOR, Role.ORG_ADMIN})


# --- Roles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleSet:
    """What one person is, worked out once per request (two queries at most)."""

    memberships: tuple[Membership, ...] = ()
    groups: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False
    user_id: int | None = None

    def fact(self, name: str) -> bool:
        """A fact about the person that another app knows (``role_fact_register``), such as
        "facilitates a space": read from the cache, else worked out once, and kept on this
        object for the rest of the request."""
        facts = self.__dict__.get("_facts")
        if facts is None:
            facts = role_facts_for_id(self.user_id) if self.user_id else frozenset()
            self.__dict__["_facts"] = facts
        return name in facts

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

    def key(self) -> tuple:
        """Everything about the person a decision from this role set can depend on, as a
        hashable value: two people with the same key get the same header links."""
        facts = self.__dict__.get("_facts")
        if facts is None:
            self.fact("")  # reads the facts once, as any fact would
            facts = self.__dict__["_facts"]
        return (
            self.is_superuser,
            tuple(sorted(self.groups)),
            tuple(
                sorted((m.organisation_id, m.organisation.slug, m.role) for m in self.memberships)
            ),
            tuple(sorted(facts)),
        )

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


def roles_for(user: Person) -> RoleSet:
    """The person's roles: from the request, else the cache, else two queries."""
    if not is_signed_in(user):
        return RoleSet()
    cached: RoleSet | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        key, facts_key = _roles_cache_key(user.pk), _facts_cache_key(user.pk)
        # Read with the person's row when the request signed them in from the cache
        # (``person_cache_keys``); otherwise read here, in one round trip: the header needs
        # the roles and the facts, and the other per-person values it shows
        # (``read_with_roles``) come along too.
        stored = request_memo.recall(key)
        if stored is not None:
            facts = request_memo.recall(facts_key)
            found = {} if facts is None else {facts_key: facts}
        else:
            extra = [key_for(user.pk) for key_for in _READ_WITH_ROLES]
            found = cache.get_many([key, facts_key, *extra])
            request_memo.keep({name: found.get(name) for name in extra})
            stored = found.get(key)
        if stored is None:
            memberships = tuple(
                Membership.objects.active().filter(user=user).select_related("organisation")
            )
            groups = frozenset(user.groups.values_list("name", flat=True))
            stored = (memberships, groups)
            cache.set(key, stored, ROLES_CACHE_SECONDS)
        memberships, groups = stored
        cached = RoleSet(
            memberships=memberships,
            groups=groups,
            is_superuser=user.is_superuser,
            user_id=user.pk,
        )
        if facts_key in found:
            cached.__dict__["_facts"] = found[facts_key]
        setattr(user, _CACHE_ATTR, cached)
    return cached


# Cache keys of other per-person values every signed-in page shows (the unread count), read in
# the roles' round trip and kept for the request (``learning.request_memo.recall``).
_READ_WITH_ROLES: list[Callable[[int], str]] = []


def read_with_roles(key_for: Callable[[int], str]) -> None:
    if key_for not in _READ_WITH_ROLES:
        _READ_WITH_ROLES.append(key_for)


def forget_roles(user: User) -> None:
    """Call after changing someone's roles."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    forget_roles_for_id(user.pk)


def forget_roles_for_id(user_id: int) -> None:
    for key in (_roles_cache_key(user_id), _facts_cache_key(user_id)):
        cache.delete(key)
        request_memo.forget(key)


def person_cache_keys(user_id: int) -> list[str]:
    """The cache keys of the per-person values every signed-in page reads: the roles, the
    facts and whatever ``read_with_roles`` registered. ``learning.user_cache`` reads them with
    the person's row, so a signed-in page makes one round trip for all of them."""
    return [
        _roles_cache_key(user_id),
        _facts_cache_key(user_id),
        *(key_for(user_id) for key_for in _READ_WITH_ROLES),
    ]


# --- Facts other apps know about a person ------------------------------------------------------
# The core imports no other app, so a role that lives in an app's own tables ("facilitates a
# space" is the community's) is registered here by that app's ``AppConfig.ready()``: a check
# taking the person's id and costing one query. The answers are cached per person like the roles
# and forgotten with them; the app calls ``forget_roles_for_id`` when the fact changes.

_ROLE_FACTS: dict[str, Callable[[int], bool]] = {}
FACILITATES = "facilitates"


def role_fact_register(name: str, check: Callable[[int], bool]) -> None:
    _ROLE_FACTS[name] = check


def _facts_cache_key(user_id: int) -> str:
    return f"hope:facts:{user_id}:{timezone.localdate().isoformat()}"


def role_facts_for_id(user_id: int) -> frozenset[str]:
    """The registered facts true of this person: from the cache, else one query per fact."""
    key = _facts_cache_key(user_id)
    stored = cache.get(key)
    if stored is None:
        stored = frozenset(name for name, check in _ROLE_FACTS.items() if check(user_id))
        cache.set(key, stored, ROLES_CACHE_SECONDS)
    return stored


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


def is_signed_in(user: Person) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


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


# --- Supervision ---------------------------------------------------------------------------
# Rules for supervision relationships, sessions, check-ins and actions (reflection.supervision).
# Objects come from the scoped selectors; these rules decide what a party may do with them.


def can_use_supervision(user: Person) -> bool:
    """Anyone signed in keeps their own supervision records."""
    return is_signed_in(user)


def is_supervision_party(user: Person, relationship: RelationshipLike) -> bool:
    """The supervisee and the supervisor of a relationship, and nobody else."""
    parties = (relationship.supervisee_id, relationship.supervisor_id)
    return is_signed_in(user) and user.pk in parties


def can_answer_supervision_proposal(user: Person, relationship: RelationshipLike) -> bool:
    """The person who did not propose accepts or declines."""
    return (
        is_supervision_party(user, relationship)
        and relationship.is_proposed
        and relationship.proposed_by_id != _pk(user)
    )


def can_record_supervision_session(user: Person, relationship: RelationshipLike) -> bool:
    return is_supervision_party(user, relationship) and relationship.is_active


def can_change_supervision_session(user: Person, session: SupervisionSessionLike) -> bool:
    """Only the writer changes a record, and never once both have confirmed it."""
    return is_signed_in(user) and session.author_id == user.pk and not session.is_locked


def can_confirm_supervision_session(user: Person, session: SupervisionSessionLike) -> bool:
    """The other party confirms (or asks for a change to) a submitted record."""
    return (
        is_supervision_party(user, session.relationship)
        and session.author_id != _pk(user)
        and session.is_submitted
    )


def can_add_supervision_addendum(user: Person, session: SupervisionSessionLike) -> bool:
    return is_supervision_party(user, session.relationship) and session.is_locked


def can_check_in(user: Person, session: SupervisionSessionLike) -> bool:
    """The supervisee's own check-in, until the record is locked."""
    return (
        is_signed_in(user)
        and session.relationship.supervisee_id == user.pk
        and not session.is_locked
    )


def can_view_organisation_supervision(user: Person, organisation: Organisation) -> bool:
    """Organisation admins see supervision frequency (dates, durations, types), never content."""
    return is_signed_in(user) and Role.ORG_ADMIN in roles_for(user).roles_in(organisation)


def _pk(user: Person) -> int | None:
    return user.pk if is_signed_in(user) else None


# --- Community -----------------------------------------------------------------------------
# Rules for spaces, threads, posts and moderation (community). ``member`` is always the
# person's membership of the space in question, or ``None``.


def can_manage_community_spaces(user: Person) -> bool:
    """Content editors and national coordinators create spaces and choose facilitators (in the
    Wagtail admin, whose space screens ask this rule)."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_superuser or r.is_editor or r.is_coordinator


def can_appoint_facilitators(user: Person, space: AppointableSpaceLike) -> bool:
    """A space's facilitators are chosen by the national coordinator or by an admin of the
    organisation the space belongs to. Content editors manage a space's pages and settings,
    not its people: a facilitator can reveal anonymous authors, so nobody makes themselves one
    by editing the space."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    if r.is_coordinator:
        return True
    return space.organisation_id is not None and any(
        o.pk == space.organisation_id for o in r.organisations_with_role(Role.ORG_ADMIN)
    )


def can_appoint_any_facilitators(user: Person) -> bool:
    """Whether the person appoints facilitators of any space: the national coordinator and
    organisation admins (for their organisation's spaces)."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_coordinator or r.has_role(Role.ORG_ADMIN)


def can_appoint_facilitator(user: Person, space: AppointableSpaceLike, person: User) -> bool:
    """Whether ``user`` may make ``person`` a facilitator of ``space`` (or stop them being
    one): never themselves."""
    return can_appoint_facilitators(user, space) and is_signed_in(user) and person.pk != user.pk


def can_moderate_space(user: Person, space: SpaceLike) -> bool:
    """Only a space's own facilitators moderate it (``space.facilitated_by``)."""
    return is_signed_in(user) and space.facilitated_by(user.pk)


def can_curate_resources(user: Person, space: SpaceLike) -> bool:
    """A space's facilitators, and the national coordinator, upload documents to its library,
    order them and take them out. Members read and download; they never upload."""
    if not is_signed_in(user):
        return False
    return roles_for(user).is_coordinator or can_moderate_space(user, space)


def can_request_reveal(user: Person, space: SpaceLike) -> bool:
    """A facilitator of the space asks for an anonymous author to be revealed; nobody sees who
    it is until a second person confirms (``can_decide_reveal``)."""
    return can_moderate_space(user, space)


def can_decide_reveal(user: Person, space: SpaceLike, request: RevealRequestLike) -> bool:
    """A waiting reveal request is confirmed or declined by another facilitator of the same
    space or by the national coordinator: never by the person who asked."""
    if not is_signed_in(user) or not request.is_waiting or request.requested_by_id == user.pk:
        return False
    return roles_for(user).is_coordinator or can_moderate_space(user, space)


def can_see_revealed_author(user: Person, request: RevealRequestLike) -> bool:
    """Once confirmed, the author is shown to the two people who decided: the one who asked and
    the one who confirmed."""
    return (
        is_signed_in(user)
        and request.is_confirmed
        and user.pk in (request.requested_by_id, request.decided_by_id)
    )


def can_view_reveal_request(user: Person, space: SpaceLike) -> bool:
    """The space's facilitators and the national coordinator see its reveal requests."""
    return (is_signed_in(user) and roles_for(user).is_coordinator) or can_moderate_space(
        user, space
    )


def can_read_space(user: Person, space: SpaceLike, member: SpaceMemberLike | None) -> bool:
    """Open spaces are read by anyone signed in; others by active members and facilitators."""
    if not is_signed_in(user):
        return False
    if space.is_open or can_moderate_space(user, space):
        return True
    return member is not None and member.is_active


def can_join_space(user: Person, space: SpaceLike, member: SpaceMemberLike | None) -> bool:
    """Anyone signed in joins an open space or asks to join one that takes requests; a space
    that is by invitation only is joined by taking up an invitation."""
    if not is_signed_in(user):
        return False
    if space.is_open or space.takes_requests:
        return True
    return member is not None and (member.is_invited or member.is_active)


def can_take_part(user: Person, space: SpaceLike, member: SpaceMemberLike | None) -> bool:
    """Active, unsuspended members and the facilitators take part: they accept the guidelines,
    then post; they report posts and sign up to sessions."""
    if can_moderate_space(user, space):
        return True
    return (
        is_signed_in(user) and member is not None and member.is_active and not member.is_suspended
    )


def post_decision(user: Person, space: SpaceLike, member: SpaceMemberLike | None) -> Decision:
    """Whether the person may start a thread in ``space`` now, and if not, why."""
    if not is_signed_in(user):
        return Decision.refuse(Why.NOT_MEMBER)
    if not can_moderate_space(user, space):
        if member is None or not member.is_active:
            return Decision.refuse(Why.NOT_MEMBER)
        if member.is_suspended:
            return Decision.refuse(Why.SUSPENDED, wait_until=member.suspended_until)
    if member is None or not member.has_accepted_guidelines:
        return Decision.refuse(Why.GUIDELINES)
    return Decision.allow()


def reply_decision(
    user: Person,
    thread: ThreadLike,
    member: SpaceMemberLike | None,
    *,
    last_reply_at: datetime | None = None,
    now: datetime | None = None,
) -> Decision:
    """Whether the person may reply to ``thread`` now, and if not, why and (for slow mode or a
    suspension) when they may. ``last_reply_at`` is when they last posted in the thread; it is
    needed only while the thread is in slow mode. Facilitators reply to threads that are
    locked, in slow mode or awaiting review; they still accept the guidelines first."""
    space = thread.space
    if can_moderate_space(user, space):
        decision = post_decision(user, space, member)
        if not decision.allowed:
            return decision
        if thread.is_locked:
            return Decision.allow(exempt_from=Why.LOCKED)
        if thread.slow_mode_minutes:
            return Decision.allow(exempt_from=Why.SLOW_MODE, minutes=thread.slow_mode_minutes)
        return decision
    if not thread.is_published:
        return Decision.refuse(Why.NOT_OPEN)
    if thread.is_locked:
        return Decision.refuse(Why.LOCKED)
    decision = post_decision(user, space, member)
    if not decision.allowed:
        return decision
    wait_until = thread.slow_mode_ends(last_reply_at)
    if wait_until is not None and wait_until > (now or timezone.now()):
        return Decision.refuse(
            Why.SLOW_MODE, wait_until=wait_until, minutes=thread.slow_mode_minutes
        )
    return decision


@dataclass(frozen=True)
class PostRules:
    """What one person may do with each post in one space. Whether they take part in the space
    is asked once, so a page of replies asks it once rather than three times a reply; the
    functions below give the same answers for a single post."""

    user_id: int | None
    takes_part: bool

    def can_change(self, post: PostLike) -> bool:
        """Authors edit their own posts while they are not rejected or hidden, and while they
        take part: a suspended member, or one who has left, cannot change what they wrote."""
        return (
            self.user_id is not None
            and post.author_id == self.user_id
            and post.is_editable
            and self.takes_part
        )

    def can_report(self, post: PostLike) -> bool:
        """People who take part in a space report other people's published posts."""
        return post.is_published and post.author_id != self.user_id and self.takes_part

    def can_mark_helped(self, post: ReplyLike) -> bool:
        """People who take part mark other people's published replies (not the opening post,
        and never their own) as having helped them."""
        return (
            post.is_published
            and not post.is_opening
            and post.author_id != self.user_id
            and self.takes_part
        )


def post_rules(user: Person, space: SpaceLike, member: SpaceMemberLike | None) -> PostRules:
    return PostRules(user_id=_pk(user), takes_part=can_take_part(user, space, member))


def can_change_post(
    user: Person, space: SpaceLike, member: SpaceMemberLike | None, post: PostLike
) -> bool:
    return post_rules(user, space, member).can_change(post)


def can_report_post(
    user: Person, space: SpaceLike, member: SpaceMemberLike | None, post: PostLike
) -> bool:
    return post_rules(user, space, member).can_report(post)


def can_mark_helped(
    user: Person, space: SpaceLike, member: SpaceMemberLike | None, post: ReplyLike
) -> bool:
    return post_rules(user, space, member).can_mark_helped(post)


def can_accept_answer(
    user: Person, thread: AnswerThreadLike, member: SpaceMemberLike | None
) -> bool:
    """In a question-and-answer space, the person who asked (while they take part) and the
    space's facilitators choose which reply answers a published thread, change it or unmark it."""
    space = thread.space
    if not space.questions_and_answers or not thread.is_published:
        return False
    if can_moderate_space(user, space):
        return True
    return is_signed_in(user) and thread.author_id == user.pk and can_take_part(user, space, member)


def can_accept_reply(
    user: Person, thread: AnswerThreadLike, member: SpaceMemberLike | None, post: ReplyLike
) -> bool:
    """The reply can be marked as the answer: a published reply, by someone who chooses
    answers in this thread."""
    return can_accept_answer(user, thread, member) and post.is_published and not post.is_opening


def can_mention_in_space(user: Person, space: SpaceLike, member: SpaceMemberLike | None) -> bool:
    """Those who take part look up the space's members to mention them as they write."""
    return can_take_part(user, space, member)


# --- Reports -------------------------------------------------------------------------------
# Organisation reports (figures only, never content) and national aggregated reports.


# --- Reflective sessions ---------------------------------------------------------------------


def can_sign_up_to_session(
    user: Person, session: ReflectiveSessionLike, member: SpaceMemberLike | None
) -> bool:
    """Those who take part in the space sign up (for a place, or the waiting list when it is
    full) until the session starts, unless it is cancelled."""
    return (
        can_take_part(user, session.space, member)
        and not session.is_cancelled
        and not session.has_started
    )


def can_withdraw_from_session(
    user: Person, session: ReflectiveSessionLike, signup: SessionSignupLike | None
) -> bool:
    """Someone with a place, or waiting for one, withdraws until the session starts."""
    return (
        is_signed_in(user)
        and signup is not None
        and signup.user_id == user.pk
        and (signup.has_place or signup.is_waiting)
        and not session.is_cancelled
        and not session.has_started
    )


def can_change_session(user: Person, session: ReflectiveSessionLike) -> bool:
    """The space's facilitators edit, reschedule or cancel a session until it starts."""
    return (
        can_moderate_space(user, session.space)
        and not session.is_cancelled
        and not session.has_started
    )


def can_see_session_joining(
    user: Person, session: ReflectiveSessionLike, signup: SessionSignupLike | None
) -> bool:
    """The joining details and meeting link: for those with a place and the facilitators."""
    if can_moderate_space(user, session.space):
        return True
    return (
        is_signed_in(user)
        and signup is not None
        and signup.user_id == user.pk
        and signup.has_place
        and not session.is_cancelled
    )


def can_view_organisation_reports(user: Person, organisation: Organisation) -> bool:
    """Organisation admins see their own organisation's reports, and nobody else does."""
    return is_signed_in(user) and Role.ORG_ADMIN in roles_for(user).roles_in(organisation)


def can_view_any_reports(user: Person) -> bool:
    """Whether the Reports area opens for the person at all."""
    if not is_signed_in(user):
        return False
    r = roles_for(user)
    return r.is_coordinator or r.has_role(Role.ORG_ADMIN)
