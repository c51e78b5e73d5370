"""Pieces the community services share: the moderation log and audit row in one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from community.models import ModerationAction, Space
from learning import permissions
from learning.models import User
from learning.services import audit_record

if TYPE_CHECKING:
    from community.models import Post, Thread

REASON_MAX = 500


def log_action(
    *,
    actor: User | None,
    space: Space,
    kind: str,
    post: Post | None = None,
    thread: Thread | None = None,
    member: User | None = None,
    reason: str = "",
    ip_address: str | None = None,
    data: dict | None = None,
) -> ModerationAction:
    """One moderation log entry (who, what, when, why) and its audit row (ids only)."""
    entry = ModerationAction.objects.create(
        space=space,
        actor=actor,
        kind=kind,
        post=post,
        thread=thread or (post.thread if post is not None else None),
        member=member,
        reason=reason[:REASON_MAX],
    )
    audit_record(
        action=f"community.{kind}",
        actor=actor,
        target=post or thread or member or space,
        ip_address=ip_address,
        data={
            "space_id": space.pk,
            "post_id": post.pk if post else None,
            "thread_id": entry.thread_id,
            "member_id": member.pk if member else None,
            **(data or {}),
        },
    )
    return entry


def require_facilitator(actor: User, space: Space) -> None:
    if not permissions.can_moderate_space(actor, space):
        raise PermissionDenied


def set_post_status(post: Post, status: str, *, reason: str = "") -> None:
    """Change a post's status, keeping the thread's mirror of its opening post and its count
    of published replies right."""
    from django.db.models import F

    from community.models import PostStatus, Thread

    was_published = post.status == PostStatus.PUBLISHED
    post.status = status
    post.status_reason = reason[:REASON_MAX]
    post.save(update_fields=["status", "status_reason"])
    thread = post.thread
    if post.is_opening:
        thread.status = status
        thread.save(update_fields=["status"])
    else:
        now_published = status == PostStatus.PUBLISHED
        if now_published != was_published:
            delta = 1 if now_published else -1
            Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + delta)
