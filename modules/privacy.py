"""Privacy handlers for learning progress (see learning/privacy/__init__.py)."""

from __future__ import annotations

from learning.privacy import combine, delete_files, register, rows_delete, rows_export, rows_unlink

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
register(
    "modules.Assignment",
    fields=["user", "assigned_by"],
    export=rows_export("modules.Assignment", ["user", "assigned_by"]),
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
