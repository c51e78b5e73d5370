"""Permission-matrix rows for community URLs (see tests/matrix_rows/__init__.py).

The shared facilitator runs the open space "matrix-open" (the practitioner is a member who has
accepted its guidelines). "matrix-closed" takes members by request: the practitioner is a
member; someone else facilitates it, so the shared facilitator cannot moderate it and sees
nothing in it (404). Everyone else is in neither space.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from . import Row, signed_in

OPEN = "matrix-open"
CLOSED = "matrix-closed"


def _u(name, *args):
    return lambda c: reverse(name, args=[a(c) if callable(a) else a for a in args])


def _id(key):
    return lambda c: c["community"][key].pk


def only(status: int, *roles: str) -> dict[str, int]:
    return signed_in(404, **dict.fromkeys(roles, status))


ROWS: list[Row] = [
    Row("community_index", _u("community_index"), signed_in(200)),
    Row("community_index", _u("community_index"), signed_in(405), method="post"),
    Row("community_my_posts", _u("community_my_posts"), signed_in(405), method="post"),
    Row("community_my_posts", _u("community_my_posts"), signed_in(200)),
    Row("community_moderation", _u("community_moderation"), only(200, "facilitator")),
    Row("community_moderation_log", _u("community_moderation_log"), only(200, "facilitator")),
    Row(
        "community_moderation_post",
        _u("community_moderation_post", _id("pending")),
        only(200, "facilitator"),
    ),
    # Facilitators of one space cannot moderate another.
    Row(
        "community_moderation_post",
        _u("community_moderation_post", _id("closed_pending")),
        signed_in(404),
    ),
    Row("community_moderation_post", _u("community_moderation_post", 999999), signed_in(404)),
    Row(
        "community_moderation_post",
        _u("community_moderation_post", _id("pending")),
        only(400, "facilitator"),  # rejecting needs a reason: nothing changes
        method="post",
        data={"action": "reject", "reason": ""},
    ),
    Row(
        "community_moderation_post",
        _u("community_moderation_post", _id("closed_pending")),
        signed_in(404),
        method="post",
        data={"action": "approve"},
    ),
    Row(
        "community_moderation_post",
        _u("community_moderation_post", _id("pending")),
        only(302, "facilitator"),
        method="post",
        data={"action": "approve"},
    ),
    Row(
        "community_moderation_flag_escalate",
        _u("community_moderation_flag_escalate", _id("flag")),
        signed_in(405),
    ),
    Row(
        "community_moderation_flag_escalate",
        _u("community_moderation_flag_escalate", _id("closed_flag")),
        signed_in(404),
        method="post",
    ),
    Row(
        "community_moderation_flag_escalate",
        _u("community_moderation_flag_escalate", _id("flag")),
        only(200, "facilitator"),
        method="post",
    ),
    Row(
        "community_moderation_thread",
        _u("community_moderation_thread", _id("thread")),
        only(200, "facilitator"),
    ),
    Row(
        "community_moderation_thread",
        _u("community_moderation_thread", _id("closed_thread")),
        signed_in(404),
    ),
    Row(
        "community_moderation_thread",
        _u("community_moderation_thread", _id("thread")),
        only(400, "facilitator"),  # no action chosen
        method="post",
    ),
    Row(
        "community_moderation_thread",
        _u("community_moderation_thread", _id("closed_thread")),
        signed_in(404),
        method="post",
        data={"action": "lock"},
    ),
    Row(
        "community_moderation_thread",
        _u("community_moderation_thread", _id("thread")),
        only(302, "facilitator"),
        method="post",
        data={"action": "lock"},
    ),
    # A request to reveal an anonymous author: the space's facilitators and the national
    # coordinator see it; anyone else gets 404. Deciding needs a decision (400 without one).
    Row(
        "community_reveal_request",
        _u("community_reveal_request", _id("reveal")),
        only(200, "facilitator", "coordinator"),
    ),
    Row(
        "community_reveal_request",
        _u("community_reveal_request", _id("closed_reveal")),
        only(200, "coordinator"),
    ),
    Row(
        "community_reveal_request",
        _u("community_reveal_request", _id("reveal")),
        only(400, "facilitator", "coordinator"),
        method="post",
    ),
    Row(
        "community_reveal_request",
        _u("community_reveal_request", _id("closed_reveal")),
        only(400, "coordinator"),
        method="post",
        data={"decision": "maybe"},
    ),
    Row(
        "community_reveal_request",
        _u("community_reveal_request", 999999),
        signed_in(404),
    ),
    # Appointing facilitators: organisation admins for their organisation's spaces and the
    # national coordinator; everyone else 404.
    Row(
        "community_facilitators",
        _u("community_facilitators"),
        only(200, "org_admin", "coordinator"),
    ),
    Row(
        "community_space_facilitators",
        _u("community_space_facilitators", "matrix-org"),
        only(200, "org_admin", "coordinator"),
    ),
    Row(
        "community_space_facilitators",
        _u("community_space_facilitators", OPEN),
        only(200, "coordinator"),  # a space of no organisation
    ),
    Row(
        "community_space_facilitators",
        _u("community_space_facilitators", "matrix-org"),
        only(400, "org_admin", "coordinator"),  # nobody chosen: nothing changes
        method="post",
        data={"action": "appoint"},
    ),
    Row(
        "community_space_facilitators",
        _u("community_space_facilitators", "no-such-space"),
        signed_in(404),
    ),
    # Spaces
    Row("community_space", _u("community_space", OPEN), signed_in(200)),
    Row("community_space", _u("community_space", CLOSED), only(200, "practitioner")),
    Row("community_space", _u("community_space", "no-such-space"), signed_in(404)),
    Row("community_join", _u("community_join", OPEN), signed_in(405)),
    Row("community_join", _u("community_join", "matrix-invite"), signed_in(404), method="post"),
    Row("community_guidelines", _u("community_guidelines", OPEN), signed_in(200)),
    Row("community_guidelines", _u("community_guidelines", CLOSED), only(200, "practitioner")),
    Row(
        "community_guidelines",
        _u("community_guidelines", CLOSED),
        only(400, "practitioner"),  # the box is not ticked
        method="post",
    ),
    Row(
        "community_guidelines",
        _u("community_guidelines", CLOSED),
        only(302, "practitioner"),
        method="post",
        data={"accept": "yes"},
    ),
    Row("community_members", _u("community_members", OPEN), only(200, "facilitator")),
    Row("community_members", _u("community_members", CLOSED), signed_in(404)),
    Row(
        "community_members",
        _u("community_members", OPEN),
        only(400, "facilitator"),  # no email given
        method="post",
        data={"action": "invite"},
    ),
    Row(
        "community_members",
        _u("community_members", CLOSED),
        signed_in(404),
        method="post",
        data={"action": "invite", "email": "x@example.nhs.uk"},
    ),
    # Threads and posts
    Row(
        "community_thread_new",
        _u("community_thread_new", OPEN),
        only(200, "practitioner", "facilitator"),
    ),
    Row("community_thread_new", _u("community_thread_new", CLOSED), only(200, "practitioner")),
    Row(
        "community_thread_new",
        _u("community_thread_new", OPEN),
        only(400, "practitioner", "facilitator"),  # empty: told what to fix
        method="post",
    ),
    Row(
        "community_thread_new",
        _u("community_thread_new", CLOSED),
        only(400, "practitioner"),
        method="post",
    ),
    Row("community_thread", _u("community_thread", OPEN, _id("thread")), signed_in(200)),
    Row(
        "community_thread",
        _u("community_thread", CLOSED, _id("closed_thread")),
        only(200, "practitioner"),
    ),
    # A thread awaiting review: its author (not one of these people) and facilitators only.
    Row(
        "community_thread",
        _u("community_thread", OPEN, _id("pending_thread")),
        only(200, "facilitator"),
    ),
    Row("community_thread", _u("community_thread", OPEN, 999999), signed_in(404)),
    Row(
        "community_thread",
        _u("community_thread", OPEN, _id("thread")),
        only(400, "practitioner", "facilitator"),
        method="post",
    ),
    Row(
        "community_thread",
        _u("community_thread", CLOSED, _id("closed_thread")),
        only(400, "practitioner"),
        method="post",
    ),
    Row("community_follow", _u("community_follow", OPEN, _id("thread")), signed_in(405)),
    Row(
        "community_follow",
        _u("community_follow", CLOSED, _id("closed_thread")),
        only(302, "practitioner"),
        method="post",
        data={"follow": "yes"},
    ),
    Row(
        "community_follow",
        _u("community_follow", OPEN, _id("thread")),
        signed_in(302),
        method="post",
        data={"follow": "yes"},
    ),
    Row(
        "community_post_edit",
        _u("community_post_edit", OPEN, _id("opening")),
        only(200, "practitioner"),
    ),
    Row(
        "community_post_edit",
        _u("community_post_edit", OPEN, _id("opening")),
        only(400, "practitioner"),
        method="post",
    ),
    Row(
        "community_post_edit",
        _u("community_post_edit", CLOSED, _id("closed_pending")),
        signed_in(404),
    ),
    Row(
        "community_post_flag",
        _u("community_post_flag", OPEN, _id("opening")),
        only(200, "facilitator"),  # the author cannot report their own post
    ),
    Row(
        "community_post_flag",
        _u("community_post_flag", CLOSED, _id("closed_opening")),
        only(200, "practitioner"),
    ),
    Row(
        "community_post_flag",
        _u("community_post_flag", OPEN, _id("opening")),
        only(400, "facilitator"),
        method="post",
    ),
    # "This helped" and the answer: the matrix thread's reply (its author is someone else;
    # the practitioner asked the question, the open space takes questions and answers).
    Row("community_post_helped", _u("community_post_helped", OPEN, _id("reply")), signed_in(405)),
    Row(
        "community_post_helped",
        _u("community_post_helped", OPEN, _id("reply")),
        only(302, "practitioner", "facilitator"),
        method="post",
        data={"helped": "yes"},
    ),
    # An opening post is never marked; outside the space it is not there at all.
    Row(
        "community_post_helped",
        _u("community_post_helped", CLOSED, _id("closed_opening")),
        signed_in(404),
        method="post",
        data={"helped": "yes"},
    ),
    Row("community_post_accept", _u("community_post_accept", OPEN, _id("reply")), signed_in(405)),
    Row(
        "community_post_accept",
        _u("community_post_accept", OPEN, _id("reply")),
        only(302, "practitioner", "facilitator"),
        method="post",
        data={"accept": "yes"},
    ),
    Row(
        "community_post_accept",
        _u("community_post_accept", CLOSED, _id("closed_opening")),
        signed_in(404),
        method="post",
        data={"accept": "yes"},
    ),
    Row(
        "community_mention_suggestions",
        _u("community_mention_suggestions", OPEN),
        only(200, "practitioner", "facilitator"),
        data={"q": "m"},
    ),
    Row(
        "community_mention_suggestions",
        _u("community_mention_suggestions", CLOSED),
        only(200, "practitioner"),
        data={"q": "m"},
    ),
    Row(
        "community_mention_suggestions",
        _u("community_mention_suggestions", OPEN),
        signed_in(405),
        method="post",
    ),
    # Sessions
    Row("community_sessions", _u("community_sessions", OPEN), signed_in(200)),
    Row("community_sessions", _u("community_sessions", CLOSED), only(200, "practitioner")),
    Row(
        "community_sessions",
        _u("community_sessions", OPEN),
        only(400, "facilitator"),
        method="post",
    ),
    Row("community_session", _u("community_session", OPEN, _id("session")), signed_in(200)),
    Row(
        "community_session",
        _u("community_session", CLOSED, _id("session")),
        only(404),
    ),
    Row(
        "community_session",
        _u("community_session", OPEN, _id("session")),
        only(302, "practitioner", "facilitator"),
        method="post",
    ),
    # Withdrawing needs a place or a turn on the waiting list: for everyone else it says so.
    Row(
        "community_session_withdraw",
        _u("community_session_withdraw", OPEN, _id("session")),
        only(302, "practitioner", "facilitator"),
        method="post",
    ),
    Row(
        "community_session_withdraw",
        _u("community_session_withdraw", CLOSED, _id("session")),
        only(404),
        method="post",
    ),
    Row(
        "community_session_withdraw",
        _u("community_session_withdraw", OPEN, _id("session")),
        signed_in(405),
    ),
    Row(
        "community_session_edit",
        _u("community_session_edit", OPEN, _id("session")),
        only(200, "facilitator"),
    ),
    Row(
        "community_session_edit",
        _u("community_session_edit", CLOSED, _id("session")),
        only(404),
    ),
    Row(
        "community_session_edit",
        _u("community_session_edit", OPEN, _id("session")),
        only(400, "facilitator"),  # the form's fields are missing: nothing changes
        method="post",
    ),
    Row(
        "community_session_cancel",
        _u("community_session_cancel", OPEN, _id("session")),
        only(200, "facilitator"),
    ),
    Row(
        "community_session_cancel",
        _u("community_session_cancel", CLOSED, _id("session")),
        only(404),
    ),
    Row(
        "community_session_cancel",
        _u("community_session_cancel", OPEN, _id("spare_session")),
        only(302, "facilitator"),
        method="post",
    ),
    Row(
        "community_session_attendance",
        _u("community_session_attendance", OPEN, _id("past_session")),
        only(200, "facilitator"),
    ),
    Row(
        "community_session_attendance",
        _u("community_session_attendance", OPEN, _id("past_session")),
        only(302, "facilitator"),
        method="post",
    ),
    # Resources
    Row("community_resources", _u("community_resources", OPEN), signed_in(200)),
    Row("community_resources", _u("community_resources", CLOSED), only(200, "practitioner")),
    Row("community_resources", _u("community_resources", OPEN), signed_in(405), method="post"),
    # Looking after a library: the space's facilitators and the national coordinator; members
    # and everyone else 404. Uploading nothing is explained (400); a resource not in the
    # library is 404.
    Row(
        "community_resources_manage",
        _u("community_resources_manage", OPEN),
        only(200, "facilitator", "coordinator"),
    ),
    Row(
        "community_resources_manage",
        _u("community_resources_manage", CLOSED),
        only(200, "coordinator"),
    ),
    Row(
        "community_resources_manage",
        _u("community_resources_manage", "no-such-space"),
        signed_in(404),
    ),
    Row(
        "community_resources_manage",
        _u("community_resources_manage", OPEN),
        only(400, "facilitator", "coordinator"),
        method="post",
        data={"title": ""},
    ),
    Row(
        "community_resources_manage",
        _u("community_resources_manage", CLOSED),
        signed_in(404),
        method="post",
        data={"action": "up", "resource": "999999"},
    ),
    # Search and saved threads
    Row("community_search", _u("community_search"), signed_in(200)),
    Row("community_search", lambda c: reverse("community_search") + "?q=reply", signed_in(200)),
    Row(
        "community_search",
        lambda c: reverse("community_search") + f"?q=reply&space={c['community']['closed_id']}",
        signed_in(400, practitioner=200),  # not one of their spaces: explained, nothing found
    ),
    Row("community_search", _u("community_search"), signed_in(405), method="post"),
    Row("community_saved", _u("community_saved"), signed_in(200)),
    Row("community_saved", _u("community_saved"), signed_in(405), method="post"),
    Row(
        "community_thread_save",
        _u("community_thread_save", OPEN, _id("thread")),
        signed_in(405),
    ),
    Row(
        "community_thread_save",
        _u("community_thread_save", OPEN, _id("thread")),
        signed_in(302),
        method="post",
        data={"save": "yes"},
    ),
    Row(
        "community_thread_save",
        _u("community_thread_save", CLOSED, _id("closed_thread")),
        only(302, "practitioner"),
        method="post",
        data={"save": "yes"},
    ),
    # Only a published thread can be saved: the one awaiting review is unseen by these people,
    # except the facilitator, who approved it in a row above.
    Row(
        "community_thread_save",
        _u("community_thread_save", OPEN, _id("pending_thread")),
        signed_in(404, facilitator=302),
        method="post",
        data={"save": "yes"},
    ),
    # Last: joining changes who can do what above.
    Row("community_join", _u("community_join", CLOSED), signed_in(302), method="post"),
    Row("community_join", _u("community_join", OPEN), signed_in(302), method="post"),
]


def extend_context(ctx: dict) -> None:
    """Add the objects the rows above need to the shared matrix context."""
    from community.answers import services as answer_services
    from community.models import (
        Flag,
        FlagReason,
        MembershipPolicy,
        PreModeration,
        ReflectiveSession,
        RevealRequest,
    )
    from community.threads import services as thread_services
    from tests.community_factories import SpaceFactory, member
    from tests.factories import UserFactory

    people = ctx["people"]
    open_space = SpaceFactory(
        slug=OPEN,
        facilitators=[people["facilitator"]],
        premoderation=PreModeration.FIRST_POSTS,
        questions_and_answers=True,
    )
    other_facilitator = UserFactory()
    closed = SpaceFactory(
        slug=CLOSED,
        membership_policy=MembershipPolicy.REQUEST,
        facilitators=[other_facilitator],
        premoderation=PreModeration.FIRST_POSTS,
    )
    SpaceFactory(slug="matrix-invite", membership_policy=MembershipPolicy.INVITATION)
    SpaceFactory(slug="matrix-org", organisation=ctx["organisation"])
    member(open_space, people["facilitator"])
    member(open_space, people["practitioner"], approved_posts=5)
    member(closed, people["practitioner"], accepted=False)
    member(closed, other_facilitator)
    thread = thread_services.thread_create(
        author=people["practitioner"],
        space=open_space,
        title="Matrix thread",
        body="Matrix opening post.",
    )
    newcomer = member(open_space).user
    pending_thread = thread_services.thread_create(
        author=newcomer, space=open_space, title="Waiting thread", body="Waiting."
    )
    pending = pending_thread.posts.get()
    reporter = member(open_space, approved_posts=5).user
    answer = thread_services.reply_create(
        author=reporter, thread=thread, body="Matrix reply, the answer."
    )
    answer_services.answer_set(actor=people["practitioner"], thread=thread, post=answer)
    flag = Flag.objects.create(
        post=thread.posts.get(is_opening=True), reporter=reporter, reason=FlagReason.SAFEGUARDING
    )
    closed_thread = thread_services.thread_create(
        author=other_facilitator, space=closed, title="Closed thread", body="Closed."
    )
    closed_newcomer = member(closed).user
    closed_pending = thread_services.reply_create(
        author=closed_newcomer, thread=closed_thread, body="Closed pending."
    )
    closed_flag = Flag.objects.create(
        post=closed_thread.posts.get(is_opening=True),
        reporter=closed_newcomer,
        reason=FlagReason.SAFEGUARDING,
    )
    now = timezone.now()
    session = ReflectiveSession.objects.create(
        space=open_space,
        title="Matrix session",
        starts_at=now + timedelta(days=3),
        duration_minutes=60,
        joining_details="Room 1",
        capacity=5,
    )
    past_session = ReflectiveSession.objects.create(
        space=open_space,
        title="Past session",
        starts_at=now - timedelta(days=3),
        duration_minutes=60,
        joining_details="Room 1",
        capacity=5,
    )
    spare_session = ReflectiveSession.objects.create(
        space=open_space,
        title="Spare session",
        starts_at=now + timedelta(days=4),
        duration_minutes=60,
        joining_details="Room 1",
        capacity=5,
    )
    anonymous = thread_services.thread_create(
        author=newcomer, space=open_space, title="Anonymous", body="Asked.", anonymous=True
    )
    closed_anonymous = thread_services.thread_create(
        author=closed_newcomer, space=closed, title="Anonymous", body="Asked.", anonymous=True
    )
    ctx["community"] = {
        "reveal": RevealRequest.objects.create(
            thread=anonymous, requested_by=reporter, reason="A safeguarding concern."
        ),
        "closed_reveal": RevealRequest.objects.create(
            thread=closed_anonymous, requested_by=other_facilitator, reason="A concern."
        ),
        "spare_session": spare_session,
        "thread": thread,
        "opening": thread.posts.get(is_opening=True),
        "reply": answer,
        "pending_thread": pending_thread,
        "pending": pending,
        "flag": flag,
        "closed_thread": closed_thread,
        "closed_id": closed.pk,
        "closed_opening": closed_thread.posts.get(is_opening=True),
        "closed_pending": closed_pending,
        "closed_flag": closed_flag,
        "session": session,
        "past_session": past_session,
    }
