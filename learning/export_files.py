"""What the two kinds of download (report CSVs and personal data zips) share: deleting a file
whose time is up and marking the row expired, so that its link answers with a sentence."""

from __future__ import annotations


def export_file_expire(export) -> None:
    """Delete ``export``'s file and mark it expired (a ``ReportExport`` or a ``DataExport``)."""
    if export.file:
        export.file.delete(save=False)
    export.file = ""
    export.status = type(export).Status.EXPIRED
    export.save(update_fields=["file", "status"])
