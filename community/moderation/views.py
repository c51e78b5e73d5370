"""A facilitator's queue, the moderation log and the actions on posts, reports and threads.
Everything is scoped to the spaces the person facilitates: anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.forms import ModeratorEditForm, ReasonForm, RevealReasonForm, SlowModeForm
from community.models import FlagReason, PostStatus
from community.moderation import reveals as reveal_services
from community.moderation import selectors
from community.moderation import services as moderation_services
from community.selectors import spaces_facilitated_by
from learning import permissions
from learning.formviews import call_service
from learning.guard import html_to_text
from learning.middleware import client_ip
from learning.pagination import keyset_page

QUEUE_SIZE = 25
FLAGGED_SIZE = 50


def _must_facilitate(user) -> None:
    if not spaces_facilitated_by(user).exists():
        raise Http404


@login_required
@require_GET
def community_moderation(request):
    _must_facilitate(request.user)
    page = keyset_page(
        selectors.moderation_pending_posts(request.user),
        order=("created_at", "pk"),
        cursor=request.GET.get("after"),
        size=QUEUE_SIZE,
    )
    flagged = list(
        selectors.moderation_flagged_posts(request.user).order_by("created_at", "pk")[:FLAGGED_SIZE]
    )
    for post in flagged:
        post.open_flag_list = sorted(
            (f for f in post.flags.all() if f.resolved_at is None), key=lambda f: f.created_at
        )
    return render(
        request,
        "community/moderation/queue.html",
        {"page": page, "flagged": flagged, "Status": PostStatus},
    )


@login_required
@require_GET
def community_moderation_log(request):
    _must_facilitate(request.user)
    page = keyset_page(
        selectors.moderation_log_for(request.user),
        order=("-created_at", "-pk"),
        cursor=request.GET.get("after"),
        size=50,
    )
    return render(request, "community/moderation/log.html", {"page": page})


def _post_page(request, post, *, reason_form=None, edit_form=None, status=200):
    return render(
        request,
        "community/moderation/post.html",
        {
            "post": post,
            "flags": list(post.flags.order_by("created_at", "pk").select_related("reporter")),
            "revisions": list(post.revisions.select_related("edited_by")),
            "reason_form": reason_form or ReasonForm(),
            "edit_form": edit_form
            or ModeratorEditForm(initial={"body": html_to_text(post.body_html)}),
            "Status": PostStatus,
            "SAFEGUARDING": FlagReason.SAFEGUARDING,
        },
        status=status,
    )


SIMPLE_ACTIONS = {
    "approve": (moderation_services.post_approve, _l("The post is published.")),
    "restore": (moderation_services.post_restore, _l("The post is visible again.")),
    "dismiss": (moderation_services.flag_dismiss, _l("The reports are dismissed.")),
}
REASONED_ACTIONS = {
    "reject": (
        moderation_services.post_reject,
        _l("The post is rejected. The author is told why."),
    ),
    "hide": (moderation_services.post_hide, _l("The post is hidden. The author is told why.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def community_moderation_post(request, post_id: int):
    post = selectors.moderation_post_for(request.user, post_id)
    if post is None:
        raise Http404
    if request.method == "GET":
        return _post_page(request, post)
    action = request.POST.get("action", "")
    ip = client_ip(request)
    try:
        if action in SIMPLE_ACTIONS:
            service, done = SIMPLE_ACTIONS[action]
            service(actor=request.user, post=post, ip_address=ip)
        elif action in REASONED_ACTIONS:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _post_page(request, post, reason_form=form, status=400)
            service, done = REASONED_ACTIONS[action]
            result = call_service(
                form,
                lambda: service(
                    actor=request.user, post=post, reason=form.cleaned_data["reason"], ip_address=ip
                ),
            )
            if not result.ok:
                return _post_page(request, post, reason_form=form, status=400)
        elif action == "edit":
            form = ModeratorEditForm(request.POST)
            if form.is_valid():
                call_service(
                    form,
                    lambda: moderation_services.post_moderator_edit(
                        actor=request.user, post=post, ip_address=ip, **form.cleaned_data
                    ),
                )
            if form.errors:
                return _post_page(request, post, edit_form=form, status=400)
            done = _("The post is edited. The author is told why.")
        else:
            messages.error(request, _("Choose what to do with the post."))
            return _post_page(request, post, status=400)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _post_page(request, post, status=400)
    messages.success(request, done)
    return redirect("community_moderation")


@login_required
@require_POST
def community_moderation_flag_escalate(request, flag_id: int):
    flag = selectors.moderation_flag_for(request.user, flag_id)
    if flag is None:
        raise Http404
    try:
        route = moderation_services.flag_escalate(
            actor=request.user, flag=flag, ip_address=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("community_moderation_post", post_id=flag.post_id)
    return render(request, "community/moderation/escalated.html", {"flag": flag, "route": route})


def _thread_page(request, thread, *, reveal_form=None, slow_form=None, status=200):
    reveal = selectors.latest_reveal_request(thread) if thread.anonymous else None
    return render(
        request,
        "community/moderation/thread.html",
        {
            "thread": thread,
            "reveal_form": reveal_form or RevealReasonForm(),
            "slow_form": slow_form or SlowModeForm(initial={"minutes": thread.slow_mode_minutes}),
            "reveal": reveal,
            "reveal_waiting": reveal is not None and reveal.is_waiting,
            "may_request_reveal": thread.anonymous
            and permissions.can_request_reveal(request.user, thread.space),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_moderation_thread(request, thread_id: int):
    thread = selectors.moderation_thread_for(request.user, thread_id)
    if thread is None:
        raise Http404
    if request.method == "GET":
        return _thread_page(request, thread)
    action = request.POST.get("action", "")
    ip = client_ip(request)
    if action in ("lock", "unlock"):
        moderation_services.thread_lock_set(
            actor=request.user,
            thread=thread,
            locked=action == "lock",
            reason=request.POST.get("reason", ""),
            ip_address=ip,
        )
        messages.success(
            request, _("The thread is locked.") if action == "lock" else _("The thread is open.")
        )
        return redirect("community_moderation_thread", thread_id=thread.pk)
    if action == "slow":
        form = SlowModeForm(request.POST)
        if not form.is_valid():
            return _thread_page(request, thread, slow_form=form, status=400)
        moderation_services.thread_slow_mode_set(
            actor=request.user, thread=thread, minutes=form.cleaned_data["minutes"], ip_address=ip
        )
        messages.success(request, _("Slow mode is set."))
        return redirect("community_moderation_thread", thread_id=thread.pk)
    if action == "reveal":
        form = RevealReasonForm(request.POST)
        if form.is_valid():
            result = call_service(
                form,
                lambda: reveal_services.reveal_request(
                    actor=request.user,
                    thread=thread,
                    reason=form.cleaned_data["reason"],
                    ip_address=ip,
                ),
            )
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Your request is recorded. The author is shown once another facilitator "
                        "of this space or the national coordinator confirms it."
                    ),
                )
                return redirect("community_reveal_request", request_id=result.value.pk)
        return _thread_page(request, thread, reveal_form=form, status=400)
    messages.error(request, _("Choose what to do with the thread."))
    return _thread_page(request, thread, status=400)


def _reveal_page(request, reveal, *, status=200):
    space = reveal.thread.space
    return render(
        request,
        "community/moderation/reveal.html",
        {
            "reveal": reveal,
            "space": space,
            "may_decide": permissions.can_decide_reveal(request.user, space, reveal),
            "may_see_author": permissions.can_see_revealed_author(request.user, reveal),
            "is_requester": reveal.requested_by_id == request.user.pk,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_reveal_request(request, request_id: int):
    """One request to reveal an anonymous author: a second person confirms or declines it; the
    two who decided then see who wrote the thread."""
    reveal = selectors.reveal_request_for(request.user, request_id)
    if reveal is None:
        raise Http404
    if request.method == "GET":
        return _reveal_page(request, reveal)
    decision = request.POST.get("decision", "")
    if decision not in ("confirm", "decline"):
        messages.error(request, _("Choose whether to confirm or decline."))
        return _reveal_page(request, reveal, status=400)
    try:
        reveal = reveal_services.reveal_decide(
            actor=request.user,
            request=reveal,
            confirm=decision == "confirm",
            ip_address=client_ip(request),
        )
    except PermissionDenied:
        messages.error(request, _("You cannot decide this request."))
        return _reveal_page(request, reveal, status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _reveal_page(request, reveal, status=400)
    messages.success(
        request,
        _("You confirmed the request.")
        if decision == "confirm"
        else _("You declined the request."),
    )
    return redirect("community_reveal_request", request_id=reveal.pk)
