""" "This helped" and the accepted answer: small POST forms on the thread page.

Both work as plain forms that come back to the same place on the thread page. The "This helped"
button is also sent by static/js/community.mjs, which asks for JSON and updates the button and
the count where they are.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from community import selectors
from community.answers import services
from community.shared.views import post_link, space_access
from learning import permissions


def helped_count_text(count: int) -> str:
    """How many people a reply helped, as the thread page says it (never who)."""
    if not count:
        return ""
    return ngettext("This helped %(n)s person.", "This helped %(n)s people.", count) % {"n": count}


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@login_required
@require_POST
def community_post_helped(request, space: str, post_id: int):
    access = space_access(request, space)
    post = selectors.post_in_space(request.user, access.space, post_id, is_facilitator=False)
    if post is None or not permissions.can_mark_helped(
        request.user, access.space, access.member, post
    ):
        raise Http404
    helped = request.POST.get("helped") == "yes"
    count = services.helped_set(user=request.user, post=post, helped=helped)
    said = (
        _("You marked this reply as one that helped you.")
        if helped
        else _("You took back your mark that this reply helped you.")
    )
    if _wants_json(request):
        return JsonResponse(
            {
                "helped": helped,
                "count": count,
                "count_text": helped_count_text(count),
                "message": said,
            }
        )
    messages.success(request, said)
    return redirect(post_link(access.space, post, after=request.POST.get("after")))


@login_required
@require_POST
def community_post_accept(request, space: str, post_id: int):
    access = space_access(request, space)
    post = selectors.post_in_space(
        request.user, access.space, post_id, is_facilitator=access.is_facilitator
    )
    if post is None:
        raise Http404
    thread = post.thread
    thread.space = access.space
    accept = request.POST.get("accept") == "yes"
    if accept and not permissions.can_accept_reply(request.user, thread, access.member, post):
        raise Http404
    if not accept and not (
        post.is_accepted and permissions.can_accept_answer(request.user, thread, access.member)
    ):
        raise Http404
    services.answer_set(actor=request.user, thread=thread, post=post if accept else None)
    messages.success(
        request,
        _("This reply is marked as the answer.")
        if accept
        else _("This reply is no longer marked as the answer."),
    )
    return redirect(post_link(access.space, post, after=request.POST.get("after")))
