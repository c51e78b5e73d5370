"""Panels this app adds to "My home"."""

from __future__ import annotations

from modules.models import Enrolment


def continue_learning_panel(request):
    """The module the person was last working on, if any (one query)."""
    if not request.user.is_authenticated:
        return None
    enrolment = (
        Enrolment.objects.filter(user=request.user, completed_at__isnull=True)
        .select_related("module", "last_lesson")
        .order_by("-updated_at")
        .first()
    )
    if enrolment is None:
        return None
    return {"template": "modules/panels/continue.html", "context": {"enrolment": enrolment}}


def assign_modules_panel(request):
    """For organisation admins: where to assign modules to their members (no queries: roles
    come from the request's cached role set)."""
    from learning.permissions import roles_for

    if not request.user.is_authenticated:
        return None
    organisations = roles_for(request.user).organisations_with_role("org_admin")
    if not organisations:
        return None
    return {"template": "modules/panels/assign.html", "context": {"organisations": organisations}}
