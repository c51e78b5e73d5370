"""What facilitators do: approve, reject, hide, restore, edit with a reason, dismiss or escalate
reports, lock a thread, slow it down, suspend a member (revealing an anonymous author takes two
people: ``community.moderation.reveals``). Each writes
the moderation log and an audit row; the author is told the outcome (never the text)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import (
    Flag,
    FlagReason,
    ModerationAction,
    Post,
    PostRevision,
    PostStatus,
    SpaceMember,
    Thread,
)
from community.shared.services import REASON_MAX, log_action, require_facilitator, set_post_status
from community.threads.services import _body, post_announce
from learning.models import Membership, User
from learning.notify import Text, notify
from learning.sanitise import sanitise_text

Kind = ModerationAction.Kind
SLOW_MODE_MAX = 24 * 60
SUSPEND_DAYS_MAX = 365


def _reason(reason: str, *, required: bool) -> str:
    reason = sanitise_text(reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason. The author will see it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason to %(n)s characters or fewer.") % {"n": REASON_MAX}}
        )
    return reason


def _locked_post(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("thread__space").get(pk=post.pk)


def _resolve_flags(post: Post, actor: User) -> int:
    n = Flag.objects.filter(post=post, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    if post.open_flags:
        post.open_flags = 0
        post.save(update_fields=["open_flags"])
    return n


def _tell_author(post: Post, kind: str, message: Text) -> None:
    notify(
        recipient=post.author,
        kind=f"community.{kind}",
        message=message,
        url=reverse("community_my_posts"),
        key=f"community-{kind}-{post.pk}-{timezone.now().timestamp()}",
    )


@transaction.atomic
def post_approve(*, actor: User, post: Post, ip_address: str | None = None) -> Post:
    """Publish a post waiting for review (or keep a reported one), clearing its reports."""
    post = _locked_post(post)
    space = post.thread.space
    require_facilitator(actor, space)
    if post.status not in (PostStatus.PENDING, PostStatus.HIDDEN) and not post.open_flags:
        raise ValidationError(_("This post is not waiting for review."))
    was_pending = post.status == PostStatus.PENDING
    _resolve_flags(post, actor)
    set_post_status(post, PostStatus.PUBLISHED)
    if was_pending:
        from django.db.models import F

        SpaceMember.objects.filter(space=space, user_id=post.author_id).update(
            approved_posts=F("approved_posts") + 1
        )
        Thread.objects.filter(pk=post.thread_id).update(last_post_at=timezone.now())
    log_action(actor=actor, space=space, kind=Kind.APPROVED, post=post, ip_address=ip_address)
    _tell_author(
        post,
        "approved",
        lambda: _("Your post in “%(title)s” has been published.") % {"title": post.thread.title},
    )
    if was_pending:
        post_announce(post)
    return post


@transaction.atomic
def post_reject(*, actor: User, post: Post, reason: str, ip_address: str | None = None) -> Post:
    post = _locked_post(post)
    space = post.thread.space
    require_facilitator(actor, space)
    if post.status != PostStatus.PENDING:
        raise ValidationError(_("Only a post waiting for review can be rejected."))
    reason = _reason(reason, required=True)
    set_post_status(post, PostStatus.REJECTED, reason=reason)
    log_action(
        actor=actor,
        space=space,
        kind=Kind.REJECTED,
        post=post,
        reason=reason,
        ip_address=ip_address,
    )
    _tell_author(
        post,
        "rejected",
        lambda: (
            _("Your post in “%(title)s” was not published. See why in your posts.")
            % {"title": post.thread.title}
        ),
    )
    return post


@transaction.atomic
def post_hide(*, actor: User, post: Post, reason: str, ip_address: str | None = None) -> Post:
    post = _locked_post(post)
    space = post.thread.space
    require_facilitator(actor, space)
    if post.status == PostStatus.REJECTED:
        raise ValidationError(_("This post was never published."))
    reason = _reason(reason, required=True)
    _resolve_flags(post, actor)
    set_post_status(post, PostStatus.HIDDEN, reason=reason)
    log_action(
        actor=actor,
        space=space,
        kind=Kind.HIDDEN,
        post=post,
        reason=reason,
        ip_address=ip_address,
    )
    _tell_author(
        post,
        "hidden",
        lambda: (
            _("A facilitator hid your post in “%(title)s”. See why in your posts.")
            % {"title": post.thread.title}
        ),
    )
    return post


@transaction.atomic
def post_restore(*, actor: User, post: Post, ip_address: str | None = None) -> Post:
    post = _locked_post(post)
    space = post.thread.space
    require_facilitator(actor, space)
    if post.status != PostStatus.HIDDEN:
        raise ValidationError(_("Only a hidden post can be restored."))
    _resolve_flags(post, actor)
    set_post_status(post, PostStatus.PUBLISHED)
    log_action(actor=actor, space=space, kind=Kind.RESTORED, post=post, ip_address=ip_address)
    _tell_author(
        post,
        "restored",
        lambda: _("Your post in “%(title)s” is visible again.") % {"title": post.thread.title},
    )
    return post


@transaction.atomic
def post_moderator_edit(
    *, actor: User, post: Post, body: str, reason: str, ip_address: str | None = None
) -> Post:
    post = _locked_post(post)
    space = post.thread.space
    require_facilitator(actor, space)
    reason = _reason(reason, required=True)
    html = _body(body)
    PostRevision.objects.create(post=post, body_html=post.body_html, edited_by=actor, reason=reason)
    post.body_html = html
    post.edited_at = timezone.now()
    post.status_reason = reason
    post.save(update_fields=["body_html", "edited_at", "status_reason"])
    log_action(
        actor=actor,
        space=space,
        kind=Kind.EDITED,
        post=post,
        reason=reason,
        ip_address=ip_address,
    )
    _tell_author(
        post,
        "edited",
        lambda: (
            _("A facilitator edited your post in “%(title)s”. See why in your posts.")
            % {"title": post.thread.title}
        ),
    )
    return post


@transaction.atomic
def flag_dismiss(*, actor: User, post: Post, ip_address: str | None = None) -> Post:
    """The reports do not hold: clear them, and show the post again if reports hid it."""
    post = _locked_post(post)
    space = post.thread.space
    require_facilitator(actor, space)
    n = _resolve_flags(post, actor)
    if post.status == PostStatus.HIDDEN:
        set_post_status(post, PostStatus.PUBLISHED)
    log_action(
        actor=actor,
        space=space,
        kind=Kind.FLAGS_DISMISSED,
        post=post,
        ip_address=ip_address,
        data={"flags": n},
    )
    return post


@transaction.atomic
def flag_escalate(*, actor: User, flag: Flag, ip_address: str | None = None) -> str:
    """Record that a safeguarding report was taken to the author's organisation's safeguarding
    route, and return that route for the facilitator to follow."""
    flag = Flag.objects.select_for_update().select_related("post__thread__space").get(pk=flag.pk)
    space = flag.post.thread.space
    require_facilitator(actor, space)
    if flag.reason != FlagReason.SAFEGUARDING:
        raise ValidationError(_("Only a safeguarding concern can be escalated."))
    membership = (
        Membership.objects.active()
        .filter(user_id=flag.post.author_id)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    route = membership.organisation.safeguarding_route if membership else ""
    if flag.escalated_at is None:
        flag.escalated_at = timezone.now()
        flag.save(update_fields=["escalated_at"])
    log_action(
        actor=actor,
        space=space,
        kind=Kind.ESCALATED,
        post=flag.post,
        ip_address=ip_address,
        data={
            "anonymous_post": flag.post.anonymous,
            "flag_id": flag.pk,
            "organisation_id": membership.organisation_id if membership else None,
        },
    )
    return route or _(
        "The author's organisation has not recorded a safeguarding route. Follow your own "
        "organisation's safeguarding procedure."
    )


@transaction.atomic
def thread_lock_set(
    *, actor: User, thread: Thread, locked: bool, reason: str = "", ip_address: str | None = None
) -> Thread:
    require_facilitator(actor, thread.space)
    reason = _reason(reason, required=False)
    thread.locked = locked
    thread.save(update_fields=["locked"])
    log_action(
        actor=actor,
        space=thread.space,
        kind=Kind.LOCKED if locked else Kind.UNLOCKED,
        thread=thread,
        reason=reason,
        ip_address=ip_address,
    )
    return thread


@transaction.atomic
def thread_slow_mode_set(
    *, actor: User, thread: Thread, minutes: int, reason: str = "", ip_address: str | None = None
) -> Thread:
    require_facilitator(actor, thread.space)
    if minutes is None or not 0 <= minutes <= SLOW_MODE_MAX:
        raise ValidationError(
            {"minutes": _("Enter a number of minutes from 0 to %(n)s.") % {"n": SLOW_MODE_MAX}}
        )
    thread.slow_mode_minutes = minutes
    thread.save(update_fields=["slow_mode_minutes"])
    log_action(
        actor=actor,
        space=thread.space,
        kind=Kind.SLOW_MODE,
        thread=thread,
        reason=_reason(reason, required=False),
        ip_address=ip_address,
        data={"minutes": minutes},
    )
    return thread


@transaction.atomic
def member_suspend(
    *, actor: User, member: SpaceMember, days: int, reason: str, ip_address: str | None = None
) -> SpaceMember:
    require_facilitator(actor, member.space)
    if member.user_id == actor.pk:
        raise ValidationError(_("You cannot suspend yourself."))
    if days is None or not 1 <= days <= SUSPEND_DAYS_MAX:
        raise ValidationError(
            {"days": _("Enter a number of days from 1 to %(n)s.") % {"n": SUSPEND_DAYS_MAX}}
        )
    reason = _reason(reason, required=True)
    member.suspended_until = timezone.now() + timedelta(days=days)
    member.save(update_fields=["suspended_until"])
    log_action(
        actor=actor,
        space=member.space,
        kind=Kind.SUSPENDED,
        member=member.user,
        reason=reason,
        ip_address=ip_address,
        data={"days": days},
    )
    notify(
        recipient=member.user,
        kind="community.suspended",
        message=lambda: (
            _("You cannot post in %(space)s for %(days)s days.")
            % {"space": member.space.name, "days": days}
        ),
        url=reverse("community_space", kwargs={"space": member.space.slug}),
        key=f"community-suspended-{member.pk}-{member.suspended_until.timestamp()}",
    )
    return member
