"""A space's resources: the documents its library holds, for those who can read the space; and
the screen where its facilitators (and the national coordinator) upload, order and remove them.
Anyone else gets 404 for that screen, as for the other facilitators' pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from community.resources import selectors, services
from community.resources.forms import ResourceUploadForm
from community.shared.views import space_access
from learning import permissions
from learning.forms import id_from
from learning.formviews import call_service
from learning.submissions import once_per_submission


@login_required
@require_GET
def community_resources(request, space: str):
    access = space_access(request, space)
    return render(
        request,
        "community/resources.html",
        {
            "access": access,
            "resources": list(selectors.resources_of(access.space)),
            "may_curate": permissions.can_curate_resources(request.user, access.space),
        },
    )


def _change(request, space, action: str):
    """Move a resource up or down, or remove it (the buttons beside each one)."""
    resource_id = id_from(request.POST.get("resource"))
    if resource_id is None:
        raise Http404
    if action == "remove":
        services.resource_remove(actor=request.user, space=space, resource_id=resource_id)
        messages.success(request, _("The document is removed from the library."))
    else:
        services.resource_move(
            actor=request.user, space=space, resource_id=resource_id, direction=action
        )
    return redirect("community_resources_manage", space=space.slug)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def community_resources_manage(request, space: str):
    found = selectors.space_curated_by(request.user, space)
    if found is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("up", "down", "remove"):
        try:
            return _change(request, found, action)
        except PermissionDenied as exc:
            raise Http404 from exc
    form = (
        ResourceUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else ResourceUploadForm()
    )
    context: dict = {}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            result = call_service(
                form,
                lambda: services.resource_upload(
                    actor=request.user,
                    space=found,
                    title=data["title"],
                    description=data["description"],
                    file=data["file"],
                    confirm_identifiers=data["confirm_identifiers"],
                ),
            )
            if result.ok:
                messages.success(request, _("The document is in the library."))
                return redirect("community_resources_manage", space=found.slug)
            context.update(result.context)
    return render(
        request,
        "community/resources_manage.html",
        {
            "space": found,
            "resources": list(selectors.resources_of(found)),
            "form": form,
            **context,
        },
        status=status,
    )
