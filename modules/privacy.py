"""Privacy handlers for learning progress (see learning/privacy/__init__.py).

The person's own progress, certificates and assignments are exported whole. Assignments they
made for an organisation are a shared record, so they are exported as the organisation's
assignments page shows them: only in organisations they still administer, and not once
cancelled."""

from __future__ import annotations

from learning.privacy import (
    combine,
    delete_files,
    exports_join,
    register,
    rows_delete,
    rows_export,
    rows_unlink,
)
from learning.selectors import organisations_administered_by
from modules.assignments.models import Assignment
from modules.assignments.selectors import organisation_assignments

DELETED = "Deleted with the account."

for label in (
    "modules.Enrolment",
    "modules.LessonCompletion",
    "modules.CheckAttempt",
    "modules.ModuleCheckAttempt",
    "modules.ConfidenceRating",
):
    register(
        label,
        fields=["user"],
        export=rows_export(label, ["user"]),
        erase=rows_delete(label, ["user"]),
        note=DELETED,
    )


def _assigned_by_export(user) -> list[dict]:
    """Assignments the person made for others, through the organisation assignments page's
    selector, one organisation they administer at a time."""
    names = [f.attname for f in Assignment._meta.concrete_fields]
    rows = []
    for organisation in organisations_administered_by(user):
        rows += (
            organisation_assignments(organisation)
            .filter(assigned_by_id=user.pk)
            .exclude(user_id=user.pk)
            .values(*names)
            .order_by("pk")
        )
    return rows


register(
    "modules.Assignment",
    fields=["user", "assigned_by"],
    export=exports_join(rows_export("modules.Assignment", ["user"]), _assigned_by_export),
    erase=combine(
        rows_delete("modules.Assignment", ["user"]),
        rows_unlink("modules.Assignment", ["assigned_by"]),
    ),
    note=(
        "Modules assigned to them are deleted; modules they assigned to others are kept for "
        "the organisation, with the link to them set to empty."
    ),
)
register(
    "modules.Certificate",
    fields=["user"],
    export=rows_export("modules.Certificate", ["user"], exclude=["pdf"]),
    erase=combine(
        delete_files("modules.Certificate", ["user"], file_field="pdf"),
        rows_delete("modules.Certificate", ["user"]),
    ),
    note=(
        "Deleted with their PDF files: a certificate carries the person's name, so after "
        "erasure its verification link says it cannot be found. Download certificates first."
    ),
)
register(
    "modules.EsrExport",
    fields=["requested_by"],
    export=rows_export("modules.EsrExport", ["requested_by"], exclude=["file"]),
    erase=combine(
        delete_files("modules.EsrExport", ["requested_by"]),
        rows_delete("modules.EsrExport", ["requested_by"]),
    ),
    note="Completions for ESR the person asked for are deleted with their files.",
)

register(
    "modules.ScormAttempt",
    fields=["user"],
    export=rows_export("modules.ScormAttempt", ["user"]),
    erase=rows_delete("modules.ScormAttempt", ["user"]),
    note="Their place, saved data and scores in SCORM packages are deleted with the account.",
)
register(
    "modules.ScormPackage",
    fields=["uploaded_by"],
    export=rows_export("modules.ScormPackage", ["uploaded_by"]),
    erase=rows_unlink("modules.ScormPackage", ["uploaded_by"]),
    note=(
        "SCORM packages they uploaded stay for the lessons that show them; the link to who "
        "uploaded them is removed."
    ),
)
register(
    "modules.H5PResult",
    fields=["user"],
    export=rows_export("modules.H5PResult", ["user"]),
    erase=rows_delete("modules.H5PResult", ["user"]),
    note="Their results in H5P content are deleted with the account.",
)
register(
    "modules.H5PContent",
    fields=["uploaded_by"],
    export=rows_export("modules.H5PContent", ["uploaded_by"]),
    erase=rows_unlink("modules.H5PContent", ["uploaded_by"]),
    note=(
        "H5P content they uploaded stays for the lessons that show it; the link to who "
        "uploaded it is removed."
    ),
)
