"""What the two kinds of download (report CSVs and personal data zips) share: deleting a file
whose time is up and marking the row expired, so that its link answers with a sentence.

A personal data zip holds journal text and supervision notes, so it is stored encrypted under
its own key (``learning/privacy/archive.py``) and the key goes with the file. A report CSV holds
aggregate counts only (suppressed below the small-number threshold), never names or anything
anyone wrote, so it is stored as it is. Certificate PDFs hold a name and a module title, no
reflective content, and are stored as they are too."""

from __future__ import annotations


def export_file_expire(export) -> None:
    """Delete ``export``'s file and mark it expired (a ``ReportExport`` or a ``DataExport``);
    a ``DataExport``'s archive key is deleted with its file."""
    if export.file:
        export.file.delete(save=False)
    export.file = ""
    export.status = type(export).Status.EXPIRED
    fields = ["file", "status"]
    if hasattr(export, "archive_key"):
        export.archive_key = ""
        fields.append("archive_key")
    export.save(update_fields=fields)
