"""Saving a thread, and the "Saved" page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.saved import selectors as saved_selectors
from community.saved import services
from community.shared.views import space_access
from community.threads import selectors as thread_selectors
from learning.pagination import keyset_page

PAGE_SIZE = 25


@login_required
@require_POST
def community_thread_save(request, space: str, thread_id: int):
    access = space_access(request, space)
    thread = thread_selectors.thread_for(
        request.user, access.space, thread_id, is_facilitator=access.is_facilitator
    )
    if thread is None or not thread.is_published:
        raise Http404
    saved = request.POST.get("save") == "yes"
    services.thread_saved_set(user=request.user, thread=thread, saved=saved)
    messages.success(
        request,
        _("The thread is in your saved threads.")
        if saved
        else _("The thread is no longer in your saved threads."),
    )
    if request.POST.get("next") == "saved":
        return redirect("community_saved")
    return redirect("community_thread", space=access.space.slug, thread_id=thread.pk)


@login_required
@require_GET
def community_saved(request):
    page = keyset_page(
        saved_selectors.saved_threads_of(request.user),
        order=("-created_at", "-pk"),
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    return render(request, "community/saved.html", {"page": page})
