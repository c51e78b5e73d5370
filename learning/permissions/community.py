"""The rulebook's rules for the community: who may read, join and take part in a space, start a
thread, reply, change, report or mark a post, choose an answer, moderate, reveal an anonymous
author, appoint facilitators, curate a space's library and sign up to reflective sessions.
``learning.permissions`` imports every rule here; ask for them from there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from learning.models import Role, User
from learning.permission_types import (
    AnswerThreadLike,
    AppointableSpaceLike,
    Decision,
    PostLike,
    ReflectiveSessionLike,
    ReplyLike,
    RevealRequestLike,
    SessionSignupLike,
    SpaceLike,
    SpaceMemberLike,
    ThreadLike,
    Why,
)
from learning.permissions.roles import Person, _pk, is_signed_in, roles_for

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
