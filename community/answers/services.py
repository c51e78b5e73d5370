""" "This helped" marks on replies and the accepted answer of a question-and-answer thread."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from community.models import Post, PostHelped, SpaceMember, Thread
from community.selectors import helped_count_of
from community.threads.services import post_url
from learning import permissions
from learning.models import User
from learning.notify import notify
from learning.services import audit_record


@transaction.atomic
def helped_set(*, user: User, post: Post, helped: bool) -> int:
    """Mark (``helped=True``) or unmark a reply as having helped ``user``; return how many
    people it has helped. Marking twice, or unmarking a reply not marked, changes nothing."""
    post = Post.objects.select_related("thread__space").get(pk=post.pk)
    space = post.thread.space
    member = SpaceMember.objects.filter(space=space, user=user).first()
    if not permissions.can_mark_helped(user, space, member, post):
        raise PermissionDenied
    if helped:
        try:
            with transaction.atomic():
                _mark, changed = PostHelped.objects.get_or_create(post=post, user=user)
        except IntegrityError:  # the same person's other request marked it first
            changed = False
    else:
        changed = PostHelped.objects.filter(post=post, user=user).delete()[0] > 0
    if changed:
        audit_record(
            action="community.helped_marked" if helped else "community.helped_unmarked",
            actor=user,
            target=post,
            data={"thread_id": post.thread_id},
        )
    return helped_count_of(post)


@transaction.atomic
def answer_set(*, actor: User, thread: Thread, post: Post | None) -> Post | None:
    """Mark ``post`` as the answer to ``thread`` (replacing any other), or unmark the answer
    when ``post`` is ``None``. The author of a newly accepted reply is told, unless they chose
    it themselves. Returns the answer now marked."""
    thread = Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
    member = SpaceMember.objects.filter(space=thread.space, user=actor).first()
    if not permissions.can_accept_answer(actor, thread, member):
        raise PermissionDenied
    previous = Post.objects.filter(thread=thread, is_accepted=True).first()
    if post is not None:
        post = Post.objects.filter(pk=post.pk, thread=thread).select_related("author").first()
        if post is None or not permissions.can_accept_reply(actor, thread, member, post):
            raise PermissionDenied
        post.thread = thread
    if previous is not None and (post is None or previous.pk != post.pk):
        Post.objects.filter(pk=previous.pk).update(is_accepted=False)
    if post is not None and (previous is None or previous.pk != post.pk):
        Post.objects.filter(pk=post.pk).update(is_accepted=True)
        post.is_accepted = True
    audit_record(
        action="community.answer_marked" if post is not None else "community.answer_unmarked",
        actor=actor,
        target=thread,
        data={
            "post_id": post.pk if post is not None else None,
            "previous_id": previous.pk if previous is not None else None,
        },
    )
    if post is not None and post.author_id != actor.pk:
        notify(
            recipient=post.author,
            kind="community.answer",
            message=lambda: (
                _("Your reply in “%(title)s” was marked as the answer.") % {"title": thread.title}
            ),
            url=post_url(post),
            key=f"community-answer-{post.pk}",
        )
    return post
