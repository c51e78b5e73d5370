"""Threads, replies, edits, reports, following and "last visit" marks."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.mentions.selectors import mentionable_people
from community.mentions.services import mentions_resolve, mentions_store
from community.models import (
    Flag,
    FlagReason,
    ModerationAction,
    Post,
    PostMention,
    PostRevision,
    PostStatus,
    PreModeration,
    Space,
    SpaceMember,
    Thread,
    ThreadFollow,
    ThreadVisit,
)
from community.selectors import last_post_in_slow_thread
from community.shared.services import log_action, set_post_status
from learning import permissions
from learning.guard import guard, text_to_html
from learning.models import User
from learning.notify import notify
from learning.permission_types import Decision
from learning.sanitise import sanitise_text
from learning.services import audit_record

TITLE_MAX = 200
BODY_MAX = 10_000
DETAIL_MAX = 500


class PostingError(ValidationError):
    """Why this person cannot post here just now, as a sentence."""


def _body(body: str) -> str:
    if not (body or "").strip():
        raise ValidationError({"body": _("Write your post before you send it.")})
    if len(body) > BODY_MAX:
        raise ValidationError(
            {"body": _("Your post must be %(n)s characters or fewer.") % {"n": BODY_MAX}}
        )
    return text_to_html(body, profile="post")


def _member_for_update(user: User, space: Space) -> SpaceMember | None:
    return SpaceMember.objects.select_for_update().filter(space=space, user=user).first()


def posting_check(decision: Decision) -> None:
    """Raise the rulebook's refusal: ``PermissionDenied`` for someone who does not belong here,
    else ``PostingError`` with the sentence that tells them why and until when."""
    if decision.allowed:
        return
    if decision.may_join:
        raise PermissionDenied
    raise PostingError(decision.reason)


def _initial_status(user: User, space: Space, member: SpaceMember) -> str:
    if permissions.can_moderate_space(user, space):
        return PostStatus.PUBLISHED
    if space.premoderation == PreModeration.ALL:
        return PostStatus.PENDING
    if (
        space.premoderation == PreModeration.FIRST_POSTS
        and member.approved_posts < space.premoderation_posts
    ):
        return PostStatus.PENDING
    return PostStatus.PUBLISHED


def _mentioned_now(post: Post, only: Iterable[int] | None = None) -> set[int]:
    """Who ``post`` mentions and can still be told: people in the space now, not its author."""
    mentioned = PostMention.objects.filter(post=post)
    if only is not None:
        mentioned = mentioned.filter(user_id__in=list(only))
    people = mentionable_people(post.thread.space).filter(pk__in=mentioned.values("user_id"))
    return set(people.values_list("pk", flat=True)) - {post.author_id}


def _tell_mentioned(post: Post, user_ids: set[int]) -> None:
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        notify(
            recipient=user,
            kind="community.mention",
            message=lambda: _("You were mentioned in “%(title)s”.") % {"title": post.thread.title},
            url=post_url(post),
            key=f"community-mention-{post.pk}",
        )


def post_announce(post: Post) -> None:
    """Tell followers and mentioned members about a post once it is published (never before).
    Messages carry the thread title and a link only."""
    if post.status != PostStatus.PUBLISHED:
        return
    thread = post.thread
    mentioned = _mentioned_now(post)
    followers = (
        set(ThreadFollow.objects.filter(thread=thread).values_list("user_id", flat=True))
        - {post.author_id}
        - mentioned
    )
    _tell_mentioned(post, mentioned)
    for user in User.objects.filter(pk__in=followers, is_active=True):
        notify(
            recipient=user,
            kind="community.reply",
            message=lambda: _("There is a new reply in “%(title)s”.") % {"title": thread.title},
            url=post_url(post),
            key=f"community-post-{post.pk}",
        )


def thread_url(thread: Thread) -> str:
    return reverse("community_thread", kwargs={"space": thread.space.slug, "thread_id": thread.pk})


def post_url(post: Post) -> str:
    return f"{thread_url(post.thread)}#post-{post.pk}"


def _record_published(member: SpaceMember | None, status: str) -> None:
    if member is not None and member.pk and status == PostStatus.PUBLISHED:
        SpaceMember.objects.filter(pk=member.pk).update(approved_posts=F("approved_posts") + 1)


@transaction.atomic
def thread_create(
    *,
    author: User,
    space: Space,
    title: str,
    body: str,
    anonymous: bool = False,
    confirm_identifiers: bool = False,
    mentions: Iterable[int] = (),
) -> Thread:
    member = _member_for_update(author, space)
    posting_check(permissions.post_decision(author, space, member))
    if member is None:  # never: the rule allows only members who accepted the guidelines
        raise PermissionDenied
    title = sanitise_text(title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter a title for your thread.")})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("The title must be %(n)s characters or fewer.") % {"n": TITLE_MAX}}
        )
    html = _body(body)
    checked = guard({"title": title, "body": body}, confirmed=confirm_identifiers)
    status = _initial_status(author, space, member)
    now = timezone.now()
    thread = Thread.objects.create(
        space=space,
        author=author,
        title=title,
        anonymous=anonymous,
        status=status,
        created_at=now,
        last_post_at=now,
    )
    post = Post.objects.create(
        thread=thread,
        author=author,
        body_html=html,
        is_opening=True,
        anonymous=anonymous,
        status=status,
        identifiers_confirmed=checked.confirmed,
        created_at=now,
    )
    mentions_store(post=post, ids=mentions_resolve(space=space, body=body, chosen=mentions))
    ThreadFollow.objects.get_or_create(thread=thread, user=author)
    _record_published(member, status)
    audit_record(
        action="community.thread_created",
        actor=author,
        target=thread,
        data={
            "space_id": space.pk,
            "status": status,
            "anonymous": anonymous,
            **checked.audit,
        },
    )
    post_announce(post)
    return thread


@transaction.atomic
def reply_create(
    *,
    author: User,
    thread: Thread,
    body: str,
    quote: Post | None = None,
    confirm_identifiers: bool = False,
    mentions: Iterable[int] = (),
) -> Post:
    thread = Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
    space = thread.space
    member = _member_for_update(author, space)
    last_reply_at = last_post_in_slow_thread(author, thread)
    posting_check(permissions.reply_decision(author, thread, member, last_reply_at=last_reply_at))
    if member is None:  # never: the rule allows only members who accepted the guidelines
        raise PermissionDenied
    html = _body(body)
    checked = guard({"body": body}, confirmed=confirm_identifiers)
    if quote is not None and (quote.thread_id != thread.pk or quote.status != PostStatus.PUBLISHED):
        quote = None
    status = _initial_status(author, space, member)
    now = timezone.now()
    post = Post.objects.create(
        thread=thread,
        author=author,
        body_html=html,
        anonymous=thread.anonymous and thread.author_id == author.pk,
        quote=quote,
        status=status,
        identifiers_confirmed=checked.confirmed,
        created_at=now,
    )
    mentions_store(post=post, ids=mentions_resolve(space=space, body=body, chosen=mentions))
    if status == PostStatus.PUBLISHED:
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_post_at=now
        )
    ThreadFollow.objects.get_or_create(thread=thread, user=author)
    _record_published(member, status)
    audit_record(
        action="community.reply_created",
        actor=author,
        target=post,
        data={"thread_id": thread.pk, "status": status, **checked.audit},
    )
    post_announce(post)
    return post


@transaction.atomic
def post_edit(
    *,
    actor: User,
    post: Post,
    body: str,
    confirm_identifiers: bool = False,
    mentions: Iterable[int] = (),
) -> Post:
    """The author changes their own post; the earlier text is kept for facilitators. Mentions
    are resolved again: people mentioned for the first time are told once it is published."""
    space = post.thread.space
    member = SpaceMember.objects.filter(space=space, user=actor).first()
    if not permissions.can_change_post(actor, space, member, post):
        raise PermissionDenied
    html = _body(body)
    checked = guard({"body": body}, confirmed=confirm_identifiers)
    PostRevision.objects.create(post=post, body_html=post.body_html, edited_by=actor)
    post.body_html = html
    post.edited_at = timezone.now()
    post.identifiers_confirmed = checked.confirmed
    post.save(update_fields=["body_html", "edited_at", "identifiers_confirmed"])
    added = mentions_store(post=post, ids=mentions_resolve(space=space, body=body, chosen=mentions))
    if added and post.is_published:
        _tell_mentioned(post, _mentioned_now(post, only=added))
    audit_record(
        action="community.post_edited",
        actor=actor,
        target=post,
        data={"thread_id": post.thread_id, **checked.audit},
    )
    return post


@transaction.atomic
def flag_create(*, reporter: User, post: Post, reason: str, detail: str = "") -> Flag:
    """A member reports a post. Enough open reports hide it until a facilitator reviews it."""
    post = Post.objects.select_for_update().select_related("thread__space").get(pk=post.pk)
    space = post.thread.space
    member = SpaceMember.objects.filter(space=space, user=reporter).first()
    if not permissions.can_report_post(reporter, space, member, post):
        raise PermissionDenied
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Choose why you are reporting this post.")})
    detail = sanitise_text(detail or "").strip()
    if reason == FlagReason.OTHER and not detail:
        raise ValidationError({"detail": _("Say briefly what is wrong with this post.")})
    if len(detail) > DETAIL_MAX:
        raise ValidationError(
            {"detail": _("Keep this to %(n)s characters or fewer.") % {"n": DETAIL_MAX}}
        )
    if Flag.objects.filter(post=post, reporter=reporter, resolved_at=None).exists():
        raise ValidationError(
            _("You have already reported this post. A facilitator will look at it.")
        )
    flag = Flag.objects.create(post=post, reporter=reporter, reason=reason, detail=detail)
    post.open_flags += 1
    post.save(update_fields=["open_flags"])
    audit_record(
        action="community.post_flagged",
        actor=reporter,
        target=post,
        data={"flag_id": flag.pk, "reason": reason},
    )
    if post.open_flags >= space.flag_threshold:
        set_post_status(post, PostStatus.HIDDEN, reason=_("Hidden after reports, pending review."))
        log_action(
            actor=None,
            space=space,
            kind=ModerationAction.Kind.AUTO_HIDDEN,
            post=post,
            reason=_("Hidden after %(n)s reports.") % {"n": post.open_flags},
        )
    return flag


@transaction.atomic
def thread_follow_set(*, user: User, thread: Thread, follow: bool) -> None:
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    if follow:
        ThreadFollow.objects.get_or_create(thread=thread, user=user)
    else:
        ThreadFollow.objects.filter(thread=thread, user=user).delete()


def thread_visit_record(*, user: User, thread: Thread) -> None:
    """Remember when the person last read the thread (one query once the row exists).

    A thread read through ``community.threads.selectors.thread_for`` carries the person's last visit
    (``seen_at``). When that visit is already after the thread's last post, nothing is
    written: every post is older than both moments, so the posts marked new and the space
    list's "new" would be the same either way, and rereading a quiet thread costs no write."""
    seen_at = getattr(thread, "seen_at", None)
    if seen_at is not None and thread.last_post_at <= seen_at:
        return
    now = timezone.now()
    if not ThreadVisit.objects.filter(thread=thread, user=user).update(seen_at=now):
        ThreadVisit.objects.get_or_create(thread=thread, user=user, defaults={"seen_at": now})
