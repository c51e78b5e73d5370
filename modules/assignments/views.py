"""An organisation admin's assignments page: assign a module to members with a due date, see
how each assignment is going, and cancel one. Another organisation's page is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from learning.pagination import keyset_page
from learning.selectors import administered_organisation
from modules.assignments.forms import AssignmentForm
from modules.assignments.services import (
    Status,
    assignment_cancel,
    assignment_create,
    organisation_assignment,
    organisation_assignments,
)

STATUS_LABELS = {
    Status.NOT_STARTED: (gettext_lazy("Not started"), "nhsuk-tag--grey"),
    Status.IN_PROGRESS: (gettext_lazy("In progress"), "nhsuk-tag--blue"),
    Status.COMPLETED: (gettext_lazy("Completed"), "nhsuk-tag--green"),
    Status.OVERDUE: (gettext_lazy("Overdue"), "nhsuk-tag--red"),
}


def _administered(request, slug: str):
    organisation = administered_organisation(request.user, slug)
    if organisation is None:
        raise Http404
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def organisation_assignments_view(request, slug: str):
    organisation = _administered(request, slug)
    find = request.GET.get("find", "").strip()[:100]
    form = AssignmentForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = assignment_create(
                actor=request.user, organisation=organisation, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(title)s is assigned to %(count)s member, due on %(date)s. They will be "
                    "told by email.",
                    "%(title)s is assigned to %(count)s members, due on %(date)s. They will be "
                    "told by email.",
                    len(made),
                )
                % {
                    "title": form.cleaned_data["module"].title,
                    "count": len(made),
                    "date": formats.date_format(form.cleaned_data["due_on"], "j F Y"),
                },
            )
            return redirect("organisation_assignments", slug=organisation.slug)
    page = keyset_page(
        organisation_assignments(organisation),
        order=("due_on", "pk"),
        cursor=request.GET.get("after"),
        size=50,
    )
    rows = [(a, *STATUS_LABELS[a.status]) for a in page.items]
    form.show_members(find)
    return render(
        request,
        "modules/assignments/organisation_assignments.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "rows": rows,
            "find": find,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_assignment_cancel_view(request, slug: str, assignment_id: int):
    organisation = _administered(request, slug)
    assignment = organisation_assignment(organisation, assignment_id)
    if assignment is None:
        raise Http404
    assignment_cancel(actor=request.user, assignment=assignment)
    messages.success(
        request,
        _("The assignment of %(title)s to %(name)s is cancelled. No more reminders will go.")
        % {"title": assignment.module.title, "name": assignment.user.get_full_name()},
    )
    return redirect("organisation_assignments", slug=organisation.slug)
