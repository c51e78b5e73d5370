"""Panels this app adds to "My home"."""

from __future__ import annotations

from django.db.models import QuerySet

from learning.prepared import PreparedQuery, Slots
from modules.models import Enrolment
from modules.progress.selectors import MODULE_LIST_FIELDS as PAGE_LINK_FIELDS

# The enrolment's own columns, then each page's title and what its link is built from (the
# columns a list of modules reads, which serve a lesson's link as well).
CONTINUE_FIELDS = (
    "id",
    "user_id",
    "module_id",
    "last_lesson_id",
    "completed_at",
    "updated_at",
    *(f"module__{name}" for name in PAGE_LINK_FIELDS),
    *(f"last_lesson__{name}" for name in PAGE_LINK_FIELDS),
)


def _continue_query(slots: Slots) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(user_id=slots.user_id, completed_at__isnull=True)
        .select_related("module", "last_lesson")
        .only(*CONTINUE_FIELDS)
        .order_by("-updated_at", "-pk")[:1]
    )


# Built once per process (learning/prepared.py): My home asks it on every visit.
_CONTINUE = PreparedQuery("modules.continue_learning", _continue_query, slots={"user_id": int})


def continue_learning_panel(request):
    """The module the person was last working on, if any (one query). Only the columns the
    panel shows are read: a page's body and checks are the largest values in the database."""
    if not request.user.is_authenticated:
        return None
    enrolment = _CONTINUE.first(user_id=request.user.pk)
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
