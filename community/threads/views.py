"""Starting a thread, reading and replying, editing your post, reporting, following."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community import selectors
from community.forms import EditForm, FlagForm, ReplyForm, ThreadForm
from community.models import Post, PostStatus
from community.shared.views import space_access
from community.threads import selectors as thread_selectors
from community.threads import services as thread_services
from community.threads.page import mentions_url, thread_page
from learning import guard, permissions
from learning.forms import id_from
from learning.formviews import call_service
from learning.guard import html_to_text
from learning.ratelimit import rate_limit_message
from learning.submissions import once_per_submission


def _thread_url(access, thread_id: int) -> str:
    return reverse("community_thread", args=[access.space.slug, thread_id])


def _safeguarding(request, form) -> dict | None:
    """The safeguarding prompt's context when the text suggests a current concern and the
    writer has not yet seen it: the form comes back with it, before anything is posted."""
    if not guard.safeguarding_prompt_first(
        request.user, form.written_text(), seen=bool(form.cleaned_data.get("safeguarding_seen"))
    ):
        return None
    return {
        "safeguarding": guard.safeguarding_routes(request.user, form.written_text()),
        "safeguarding_prompted": True,
    }


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def community_thread_new(request, space: str):
    access = space_access(request, space)
    if not access.takes_part:
        raise Http404
    if access.posting.needs_guidelines:
        return redirect(reverse("community_guidelines", args=[access.space.slug]) + "?next=new")
    form = ThreadForm(request.POST or None)
    extra: dict = {}
    limited = rate_limit_message(request.user, "post") if request.method == "POST" else None
    if limited:
        form.add_error(None, limited)
    prompt = None
    if request.method == "POST" and not limited and form.is_valid():
        prompt = _safeguarding(request, form)
    if prompt:
        extra.update(prompt)
    elif request.method == "POST" and not limited and form.is_valid():
        result = call_service(
            form,
            lambda: thread_services.thread_create(
                author=request.user,
                space=access.space,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                anonymous=form.cleaned_data["anonymous"],
                confirm_identifiers=form.cleaned_data["confirm_identifiers"],
                mentions=form.cleaned_data["mention"],
            ),
        )
        extra.update(result.context)
        if result.ok:
            thread = result.value
            if thread.status == PostStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Your thread is waiting for a facilitator to review it. Only you and "
                        "the facilitators can see it until then."
                    ),
                )
            else:
                messages.success(request, _("Your thread is posted."))
            return redirect("community_thread", space=access.space.slug, thread_id=thread.pk)
    return render(
        request,
        "community/thread_new.html",
        {
            "access": access,
            "form": form,
            "mentions_url": mentions_url(request.user, access),
            **extra,
        },
        status=200 if prompt or request.method == "GET" else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def community_thread(request, space: str, thread_id: int):
    access = space_access(request, space)
    thread = thread_selectors.thread_for(
        request.user, access.space, thread_id, is_facilitator=access.is_facilitator
    )
    if thread is None:
        raise Http404
    thread.space = access.space
    if request.method == "GET":
        initial = {}
        quote_id = request.GET.get("quote", "")
        if id_from(quote_id) is not None:
            initial["quote"] = id_from(quote_id)
        return thread_page(request, access, thread, form=ReplyForm(initial=initial))
    if not access.takes_part:
        raise Http404
    form = ReplyForm(request.POST)
    extra: dict = {}
    limited = rate_limit_message(request.user, "post")
    if access.posting.needs_guidelines:
        form.add_error(None, access.posting.reason)
    elif limited:
        form.add_error(None, limited)
    elif form.is_valid() and (prompt := _safeguarding(request, form)):
        return thread_page(request, access, thread, form=form, extra=prompt)
    elif form.is_valid():
        quote = None
        if form.cleaned_data.get("quote"):
            quote = selectors.post_in_space(
                request.user, access.space, form.cleaned_data["quote"], is_facilitator=False
            )
        result = call_service(
            form,
            lambda: thread_services.reply_create(
                author=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                quote=quote,
                confirm_identifiers=form.cleaned_data["confirm_identifiers"],
                mentions=form.cleaned_data["mention"],
            ),
        )
        extra.update(result.context)
        if result.ok:
            post = result.value
            if post.status == PostStatus.PENDING:
                messages.success(
                    request,
                    _("Your reply is waiting for a facilitator to review it."),
                )
            else:
                messages.success(request, _("Your reply is posted."))
            return redirect(_thread_url(access, post.thread_id) + f"#post-{post.pk}")
    return thread_page(request, access, thread, form=form, extra=extra, status=400)


@login_required
@require_POST
def community_follow(request, space: str, thread_id: int):
    access = space_access(request, space)
    thread = thread_selectors.thread_for(
        request.user, access.space, thread_id, is_facilitator=access.is_facilitator
    )
    if thread is None:
        raise Http404
    follow = request.POST.get("follow") == "yes"
    thread_services.thread_follow_set(user=request.user, thread=thread, follow=follow)
    messages.success(
        request,
        _("You are following this thread.") if follow else _("You have stopped following it."),
    )
    return redirect("community_thread", space=access.space.slug, thread_id=thread.pk)


def _own_post(request, access, post_id: int) -> Post:
    post = selectors.post_in_space(request.user, access.space, post_id, is_facilitator=False)
    if post is None:
        raise Http404
    return post


@login_required
@require_http_methods(["GET", "POST"])
def community_post_edit(request, space: str, post_id: int):
    access = space_access(request, space)
    post = _own_post(request, access, post_id)
    if not permissions.can_change_post(request.user, access.space, access.member, post):
        raise Http404
    version = _post_version(post)
    if request.method == "GET":
        form = EditForm(initial={"body": html_to_text(post.body_html)})
        return render(
            request,
            "community/post_edit.html",
            {
                "access": access,
                "post": post,
                "form": form,
                "post_version": version,
                "mentions_url": mentions_url(request.user, access),
            },
        )
    form = EditForm(request.POST)
    extra: dict = {"post_version": version, "mentions_url": mentions_url(request.user, access)}
    loaded = request.POST.get("post_version", "")
    if id_from(loaded) is not None and int(loaded) != version:
        # Changed since this form was opened (another tab, or a facilitator's edit).
        form.is_valid()
        form.add_error(
            None,
            _(
                "This post was changed after you opened it, perhaps in another tab or by a "
                "facilitator. Your text is below, as you left it. Check the post as it is now, "
                "then save again to replace it."
            ),
        )
        return render(
            request,
            "community/post_edit.html",
            {"access": access, "post": post, "form": form, **extra},
            status=409,
        )
    prompt = _safeguarding(request, form) if form.is_valid() else None
    if prompt:
        return render(
            request,
            "community/post_edit.html",
            {"access": access, "post": post, "form": form, **extra, **prompt},
        )
    if form.is_valid():
        result = call_service(
            form,
            lambda: thread_services.post_edit(
                actor=request.user,
                post=post,
                body=form.cleaned_data["body"],
                confirm_identifiers=form.cleaned_data["confirm_identifiers"],
                mentions=form.cleaned_data["mention"],
            ),
        )
        extra.update(result.context)
        if result.ok:
            messages.success(request, _("Your changes are saved."))
            return redirect(_thread_url(access, post.thread_id) + f"#post-{post.pk}")
    return render(
        request,
        "community/post_edit.html",
        {"access": access, "post": post, "form": form, **extra},
        status=400,
    )


def _post_version(post) -> int:
    """When the post last changed, in microseconds: the edit form's concurrency check."""
    return int(post.edited_at.timestamp() * 1_000_000) if post.edited_at else 0


@login_required
@require_http_methods(["GET", "POST"])
def community_post_flag(request, space: str, post_id: int):
    access = space_access(request, space)
    post = _own_post(request, access, post_id)
    if not permissions.can_report_post(request.user, access.space, access.member, post):
        raise Http404
    form = FlagForm(request.POST or None)
    limited = rate_limit_message(request.user, "flag") if request.method == "POST" else None
    if limited:
        form.add_error(None, limited)
    if request.method == "POST" and not limited and form.is_valid():
        result = call_service(
            form,
            lambda: thread_services.flag_create(
                reporter=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
            ),
        )
        if result.ok:
            messages.success(
                request, _("Thank you. A facilitator will look at the post you reported.")
            )
            return redirect("community_thread", space=access.space.slug, thread_id=post.thread_id)
    return render(
        request,
        "community/post_flag.html",
        {"access": access, "post": post, "form": form},
        status=400 if request.method == "POST" else 200,
    )
