"""Appointing and removing a space's facilitators: for the admins of the organisation the space
belongs to and for the national coordinator (the rulebook's ``can_appoint_facilitators``).
Anyone else gets 404. The services check the rule again, audit each change and tell the
person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from community import selectors
from community.forms import FacilitatorAppointForm
from community.models import Space
from community.spaces import services as space_services
from learning import permissions
from learning.forms import id_from
from learning.formviews import call_service


@login_required
@require_GET
def community_facilitators(request: HttpRequest) -> HttpResponse:
    """The spaces whose facilitators the person appoints."""
    if not permissions.can_appoint_any_facilitators(request.user):
        raise Http404
    spaces = list(
        selectors.spaces_appointable_by(request.user)
        .select_related("organisation")
        .prefetch_related("facilitators")
        .order_by("name", "pk")
    )
    return render(request, "community/facilitators.html", {"spaces": spaces})


def _space_page(
    request: HttpRequest, space: Space, *, form: FacilitatorAppointForm | None = None
) -> HttpResponse:
    candidates = list(selectors.facilitator_candidates(space, actor=request.user))
    return render(
        request,
        "community/facilitators_space.html",
        {
            "space": space,
            "facilitators": list(space.facilitators.order_by("display_name", "email", "pk")),
            "form": form or FacilitatorAppointForm(candidates=candidates),
            "has_candidates": bool(candidates),
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_space_facilitators(request: HttpRequest, space: str) -> HttpResponse:
    found = (
        selectors.spaces_appointable_by(request.user)
        .select_related("organisation")
        .filter(slug=space)
        .first()
    )
    if found is None:
        raise Http404
    if request.method == "GET":
        return _space_page(request, found)
    action = request.POST.get("action", "")
    if action == "appoint":
        candidates = selectors.facilitator_candidates(found, actor=request.user)
        form = FacilitatorAppointForm(request.POST, candidates=candidates)
        if form.is_valid():
            person = candidates.get(pk=form.cleaned_data["person"])
            result = call_service(
                form,
                lambda: space_services.space_facilitator_appoint(
                    actor=request.user, space=found, person=person
                ),
            )
            if result.ok:
                messages.success(
                    request,
                    _("%(name)s is now a facilitator. They have been told.") % {"name": person},
                )
                return redirect("community_space_facilitators", space=found.slug)
        return _space_page(request, found, form=form)
    if action == "remove":
        person_id = id_from(request.POST.get("person"))
        person = found.facilitators.filter(pk=person_id).first() if person_id else None
        if person is None:
            raise Http404
        try:
            space_services.space_facilitator_remove(actor=request.user, space=found, person=person)
        except (PermissionDenied, ValidationError):
            messages.error(request, _("You cannot remove yourself as a facilitator."))
            return redirect("community_space_facilitators", space=found.slug)
        messages.success(
            request,
            _("%(name)s is no longer a facilitator. They have been told.") % {"name": person},
        )
        return redirect("community_space_facilitators", space=found.slug)
    messages.error(request, _("Choose what to do."))
    return _space_page(request, found, form=FacilitatorAppointForm(candidates=[]))
