"""A thread's page: its head, a page of replies (each reply's markup made from its values,
learning/fragments.py), the accepted answer and the reply box, for reading and for a reply
form sent back with errors."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse

from community import selectors
from community.answers.views import helped_count_text
from community.forms import ReplyForm
from community.models import PostStatus
from community.shared.views import post_link, shown_author
from community.threads import selectors as thread_selectors
from community.threads import services as thread_services
from learning import permissions
from learning.fragments import item_renderer, render_item
from learning.links import link_for_each


def thread_page(request, access, thread, *, form, extra=None, status=200):
    user = request.user
    reply = permissions.reply_decision(
        user,
        thread,
        access.member,
        last_reply_at=selectors.last_post_in_slow_thread(user, thread),
    )
    page = thread_selectors.posts_page(
        thread, user, is_facilitator=access.is_facilitator, cursor=request.GET.get("after")
    )
    chooses_answer = permissions.can_accept_answer(user, thread, access.member)
    # Each reply's links, built from one resolved URL per view (learning/links.py).
    slug = access.space.slug
    helped_url = link_for_each("community_post_helped", vary="post_id", space=slug)
    accept_url = link_for_each("community_post_accept", vary="post_id", space=slug)
    edit_url = link_for_each("community_post_edit", vary="post_id", space=slug)
    flag_url = link_for_each("community_post_flag", vary="post_id", space=slug)
    moderate_url = link_for_each("community_moderation_post", vary="post_id")
    page_after = request.GET.get("after", "")
    token = get_token(request)
    rules = permissions.post_rules(user, access.space, access.member)
    render_post = item_renderer("community/_post.html", csrf_token=token)
    for post in page.items:
        mine = post.author_id == user.pk
        quote_visible = post.quote is not None and post.quote.is_published
        accepts = permissions.can_accept_reply(user, thread, access.member, post)
        unaccepts = chooses_answer and post.is_accepted
        # Everything the reply's markup shows, and nothing else: the markup is kept per
        # process under these values (learning/fragments.py).
        item = {
            "pk": post.pk,
            "status": post.status,
            "shown_author": str(
                shown_author(
                    post, user, is_facilitator=access.is_facilitator, name=post.author_name
                )
            ),
            "created_at": post.created_at,
            "edited": post.edited_at is not None,
            # New since the person last read the thread; what they wrote themselves never is.
            "is_new": (
                not mine and thread.seen_at is not None and post.created_at > thread.seen_at
            ),
            "shows_answer": access.space.questions_and_answers and post.is_accepted,
            "quote_visible": quote_visible,
            "quote_author": (
                str(
                    shown_author(
                        post.quote, user, is_facilitator=False, name=post.quote.author_name
                    )
                )
                if quote_visible
                else ""
            ),
            "quote_body": post.quote.body_html if quote_visible else "",
            "body_html": post.body_html,
            "status_reason": post.status_reason if mine else "",
            "can_mark_helped": rules.can_mark_helped(post),
            "helped_text": str(helped_count_text(post.helped_count)),
            "helped_url": helped_url(post.pk),
            "helped_by_me": bool(post.helped_by_me),
            "shows_accept_form": (accepts and not post.is_accepted) or unaccepts,
            "can_unaccept": unaccepts,
            "accept_url": accept_url(post.pk),
            "can_quote": reply.allowed and post.is_published,
            "edit_url": edit_url(post.pk) if rules.can_change(post) else "",
            "flag_url": flag_url(post.pk) if rules.can_report(post) else "",
            "moderate_url": moderate_url(post.pk) if access.is_facilitator else "",
        }
        post.html = render_post({"post": item, "page_after": page_after})
    answer = _answer(access, thread, page, user)
    mentions = mentions_url(user, access)
    head_html = render_item(
        "community/_thread_head.html",
        {
            "space_name": access.space.name,
            "title": thread.title,
            "pending": thread.status == PostStatus.PENDING,
            "slow_mode_minutes": thread.slow_mode_minutes,
            "space_slug": slug,
            "thread_id": thread.pk,
            "following": bool(thread.following),
            "can_save": thread.is_published,
            "saved": bool(thread.saved),
            "moderates": access.is_facilitator,
        },
        csrf_token=token,
    )
    reply_html = ""
    if not form.is_bound and not form.initial and not extra:
        # An empty reply box (no quote chosen, nothing sent back) shows only these values.
        reply_html = render_item(
            "community/_reply.html",
            {
                "reply": {
                    "may_write": reply.may_write,
                    "note": str(reply.note),
                    "allowed": reply.allowed,
                    "reason": str(reply.reason),
                    "needs_guidelines": reply.needs_guidelines,
                    "may_join": reply.may_join,
                },
                "space_slug": slug,
                "thread_id": thread.pk,
                "mentions_url": mentions,
            },
            csrf_token=token,
            empty_form=ReplyForm,
        )
    if request.method == "GET":
        thread_services.thread_visit_record(user=user, thread=thread)
    return render(
        request,
        "community/thread.html",
        {
            "access": access,
            "thread": thread,
            "page": page,
            "form": form,
            "reply": reply,
            "answer": answer,
            "answer_after_opening": any(p.is_opening for p in page.items),
            "page_after": page_after,
            "mentions_url": mentions,
            "head_html": head_html,
            "reply_html": reply_html,
            **(extra or {}),
        },
        status=status,
    )


def _answer(access, thread, page, user) -> dict | None:
    """The answer shown under the question, in a question-and-answer space: the reply, who
    wrote it and a link to it in the thread (read with the thread: no query of its own)."""
    if not access.space.questions_and_answers:
        return None
    post = thread_selectors.answer_of(thread)
    if post is None:
        return None
    on_page = any(p.pk == post.pk for p in page.items)
    return {
        "post": post,
        "author": shown_author(post, user, is_facilitator=access.is_facilitator),
        "url": f"#post-{post.pk}" if on_page else post_link(access.space, post),
    }


def mentions_url(user, access) -> str:
    """Where a post's text box asks for people to mention: only for those who may look."""
    if not permissions.can_mention_in_space(user, access.space, access.member):
        return ""
    return reverse("community_mention_suggestions", args=[access.space.slug])
