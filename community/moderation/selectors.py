"""Reads for moderation: the posts awaiting review and the reported posts of the spaces a person
facilitates, a post, thread or report there they may act on, the moderation log, what
facilitators did to the person's own posts, and requests to reveal an anonymous author (for the
space's facilitators and the national coordinator). A scoped read finds nothing in another
space, so "not allowed" and "does not exist" are the same 404."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import Flag, ModerationAction, Post, PostStatus, RevealRequest, Thread
from community.selectors import spaces_facilitated_by
from learning.models import User
from learning.permissions import Person, is_signed_in, roles_for


def moderation_pending_posts(user: User) -> QuerySet[Post]:
    """Posts awaiting review in spaces the person facilitates, oldest first."""
    return Post.objects.filter(
        status=PostStatus.PENDING, thread__space__in=spaces_facilitated_by(user)
    ).select_related("thread__space", "author")


def moderation_flagged_posts(user: User) -> QuerySet[Post]:
    """Posts with open reports in spaces the person facilitates."""
    return (
        Post.objects.filter(open_flags__gt=0, thread__space__in=spaces_facilitated_by(user))
        .select_related("thread__space", "author")
        .prefetch_related("flags")
    )


def moderation_post_for(user: User, post_id: int) -> Post | None:
    return (
        Post.objects.filter(pk=post_id, thread__space__in=spaces_facilitated_by(user))
        .select_related("thread__space", "author", "quote")
        .first()
    )


def moderation_thread_for(user: User, thread_id: int) -> Thread | None:
    return (
        Thread.objects.filter(pk=thread_id, space__in=spaces_facilitated_by(user))
        .select_related("space", "author")
        .first()
    )


def reveal_requests_visible_to(user: Person) -> QuerySet[RevealRequest]:
    """Requests to reveal an anonymous author that the person may see: those of the spaces
    they facilitate, or every one for the national coordinator."""
    if not is_signed_in(user):
        return RevealRequest.objects.none()
    requests = RevealRequest.objects.all()
    if not roles_for(user).is_coordinator:
        requests = requests.filter(thread__space__in=spaces_facilitated_by(user))
    return requests


def reveal_request_for(user: Person, request_id: int) -> RevealRequest | None:
    """A request to reveal an anonymous author: for the space's facilitators and the national
    coordinator; anyone else gets nothing (404)."""
    requests = reveal_requests_visible_to(user).filter(pk=request_id)
    return requests.select_related(
        "thread__space", "thread__author", "requested_by", "decided_by"
    ).first()


def latest_reveal_request(thread: Thread) -> RevealRequest | None:
    """The newest request to reveal the author of ``thread`` (facilitators' view of it)."""
    return thread.reveal_requests.order_by("-created_at", "-pk").first()


def moderation_flag_for(user: User, flag_id: int) -> Flag | None:
    return (
        Flag.objects.filter(pk=flag_id, post__thread__space__in=spaces_facilitated_by(user))
        .select_related("post__thread__space", "post__author")
        .first()
    )


def moderation_log_for(user: User) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(space__in=spaces_facilitated_by(user)).select_related(
        "space", "actor", "member", "thread"
    )


def moderation_log_about_posts_of(user: User) -> QuerySet[ModerationAction]:
    """What facilitators did to the person's own posts (no moderator names)."""
    return ModerationAction.objects.filter(post__author_id=user.pk).exclude(
        kind=ModerationAction.Kind.REVEALED
    )
