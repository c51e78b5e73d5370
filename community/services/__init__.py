"""Writes for the community. Each service checks permission (``learning.permissions``),
changes state and writes its audit row (ids and decisions, never text) in one transaction."""

from .moderation import (
    flag_dismiss,
    flag_escalate,
    member_suspend,
    post_approve,
    post_hide,
    post_moderator_edit,
    post_reject,
    post_restore,
    thread_lock_set,
    thread_reveal_author,
    thread_slow_mode_set,
)
from .posts import (
    IdentifiersFound,
    PostingError,
    flag_create,
    post_edit,
    reply_create,
    thread_create,
    thread_follow_set,
    thread_visit_record,
)
from .sessions import (
    session_attendance_set,
    session_create,
    session_invitation_email_send,
    session_signup,
)
from .spaces import (
    guidelines_accept,
    member_approve,
    member_invite,
    space_join,
)

__all__ = [
    "IdentifiersFound",
    "PostingError",
    "flag_create",
    "flag_dismiss",
    "flag_escalate",
    "guidelines_accept",
    "member_approve",
    "member_invite",
    "member_suspend",
    "post_approve",
    "post_edit",
    "post_hide",
    "post_moderator_edit",
    "post_reject",
    "post_restore",
    "reply_create",
    "session_attendance_set",
    "session_create",
    "session_invitation_email_send",
    "session_signup",
    "space_join",
    "thread_create",
    "thread_follow_set",
    "thread_lock_set",
    "thread_reveal_author",
    "thread_slow_mode_set",
    "thread_visit_record",
]
