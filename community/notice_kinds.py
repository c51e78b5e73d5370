"""The community's kinds of notice and the group each belongs to, for each person's email
settings (``learning.notify_groups``). Every kind passed to ``notify`` here must be listed."""

from __future__ import annotations

from learning.notify_groups import (
    MENTIONS,
    MODERATION,
    REPLIES,
    SESSIONS,
    WAITING,
    notice_kind_register,
)

KINDS = {
    "community.reply": REPLIES,
    "community.mention": MENTIONS,
    # A facilitator's decision about your post or your place in a space.
    "community.approved": MODERATION,
    "community.rejected": MODERATION,
    "community.hidden": MODERATION,
    "community.restored": MODERATION,
    "community.edited": MODERATION,
    "community.suspended": MODERATION,
    "community.join_approved": MODERATION,
    "community.facilitator": MODERATION,
    # Your reply was chosen as a thread's answer (a reply to your writing, like a reply).
    "community.answer": REPLIES,
    # The outcome of a request to reveal an anonymous author, told to the facilitator who asked.
    "community.reveal_decided": MODERATION,
    # Something waiting for you to answer.
    "community.join_request": WAITING,
    "community.invited": WAITING,
    "community.reveal_request": WAITING,
    # Reflective sessions you signed up to.
    "community.session_place": SESSIONS,
    "community.session_waiting": SESSIONS,
    "community.session_withdrawn": SESSIONS,
    "community.session_changed": SESSIONS,
    "community.session_cancelled": SESSIONS,
    "community.session_reminder": SESSIONS,
}


def register() -> None:
    for kind, group in KINDS.items():
        notice_kind_register(kind, group)
