"""The community page, a space, joining, guidelines, members and the author's own posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import selectors
from community.forms import InviteForm, SuspendForm
from community.models import MembershipPolicy, MemberStatus, SpaceMember
from community.moderation import services as moderation_services
from community.shared.views import space_access
from community.spaces import services as space_services
from community.threads import selectors as thread_selectors
from learning import permissions
from learning.forms import id_from
from learning.formviews import call_service
from learning.middleware import client_ip
from learning.pagination import keyset_page
from learning.ratelimit import rate_limit_message

PAGE_SIZE = 25
MEMBERS_PAGE_SIZE = 200


@login_required
@require_GET
def community_index(request):
    # Every open space is listed for everyone: a page at a time, so the cost stays flat.
    page = keyset_page(
        selectors.spaces_listed_for(request.user),
        order=("name", "pk"),
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    return render(
        request,
        "community/index.html",
        {
            "spaces": page.items,
            "page": page,
            "Policy": MembershipPolicy,
            "Status": MemberStatus,
            "may_appoint_facilitators": permissions.can_appoint_any_facilitators(request.user),
        },
    )


@login_required
def community_space(request, space: str):
    access = space_access(request, space)
    page = thread_selectors.threads_page(
        access.space,
        request.user,
        is_facilitator=access.is_facilitator,
        cursor=request.GET.get("after"),
    )
    for thread in page.items:
        thread.is_new = thread.seen_at is None or thread.last_post_at > thread.seen_at
    return render(request, "community/space.html", {"access": access, "page": page})


@login_required
@require_POST
def community_join(request, space: str):
    target = selectors.spaces_listed_for(request.user).filter(slug=space).first()
    member = selectors.membership_of(request.user, target) if target else None
    if target is None or not permissions.can_join_space(request.user, target, member):
        raise Http404
    member = space_services.space_join(user=request.user, space=target)
    if member.is_active:
        messages.success(request, _("You have joined %(space)s.") % {"space": target.name})
        return redirect("community_space", space=target.slug)
    messages.success(request, _("You have asked to join. A facilitator will look at your request."))
    return redirect("community_index")


@login_required
@require_http_methods(["GET", "POST"])
def community_guidelines(request, space: str):
    access = space_access(request, space)
    if request.method == "POST":
        if not access.takes_part:
            raise Http404
        if request.POST.get("accept") != "yes":
            return render(
                request,
                "community/guidelines.html",
                {
                    "access": access,
                    "error": _("Tick the box to accept the guidelines."),
                    "next": request.POST.get("next", ""),
                },
                status=400,
            )
        space_services.guidelines_accept(user=request.user, space=access.space)
        messages.success(request, _("Thank you. You can now post in this space."))
        next_url = request.POST.get("next", "")
        if next_url == "new":
            return redirect("community_thread_new", space=access.space.slug)
        return redirect("community_space", space=access.space.slug)
    return render(
        request,
        "community/guidelines.html",
        {"access": access, "next": request.GET.get("next", "")},
    )


def _members_page(request, access, *, invite_form=None, suspend_form=None, status=200):
    # A page of members at a time, oldest first (by keyset, so a large space costs the same).
    page = keyset_page(
        selectors.space_members(access.space),
        order=("created_at", "pk"),
        cursor=request.GET.get("after"),
        size=MEMBERS_PAGE_SIZE,
    )
    members = page.items
    return render(
        request,
        "community/members.html",
        {
            "access": access,
            "page": page,
            "requested": [m for m in members if m.status == MemberStatus.REQUESTED],
            "active": [m for m in members if m.status == MemberStatus.ACTIVE],
            "invited": [m for m in members if m.status == MemberStatus.INVITED],
            "invite_form": invite_form or InviteForm(),
            "suspend_form": suspend_form or SuspendForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_members(request, space: str):
    access = space_access(request, space)
    if not access.is_facilitator:
        raise Http404
    if request.method == "GET":
        return _members_page(request, access)
    action = request.POST.get("action")
    if action == "invite":
        form = InviteForm(request.POST)
        limited = rate_limit_message(request.user, "space_invite") if form.is_valid() else None
        if limited:
            form.add_error("email", limited)
        if form.is_valid():
            result = call_service(
                form,
                lambda: space_services.member_invite(
                    actor=request.user, space=access.space, email=form.cleaned_data["email"]
                ),
            )
            if result.ok:
                messages.success(request, space_services.INVITED_MESSAGE)
                return redirect("community_members", space=access.space.slug)
        return _members_page(request, access, invite_form=form, status=400)
    member = get_object_or_404(
        SpaceMember.objects.select_related("space", "user"),
        space=access.space,
        pk=id_from(request.POST.get("member")) or 0,
    )
    if action == "approve":
        try:
            space_services.member_approve(actor=request.user, member=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s is now a member.") % {"name": member.user})
        return redirect("community_members", space=access.space.slug)
    if action == "suspend":
        form = SuspendForm(request.POST)
        if form.is_valid():
            result = call_service(
                form,
                lambda: moderation_services.member_suspend(
                    actor=request.user,
                    member=member,
                    days=form.cleaned_data["days"],
                    reason=form.cleaned_data["reason"],
                    ip_address=client_ip(request),
                ),
            )
            if result.ok:
                messages.success(request, _("%(name)s is suspended.") % {"name": member.user})
                return redirect("community_members", space=access.space.slug)
        return _members_page(request, access, suspend_form=form, status=400)
    return _members_page(request, access, status=400)


@login_required
@require_GET
def community_my_posts(request):
    page = keyset_page(
        selectors.posts_by_author(request.user),
        order=("-created_at", "-pk"),
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    return render(request, "community/my_posts.html", {"page": page})
