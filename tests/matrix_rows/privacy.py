"""Permission-matrix rows for "your data" URLs (see tests/matrix_rows/__init__.py).

Everything here is the signed-in person's own: their downloads are theirs only (anyone else gets
the same 404 as a missing one). Deleting the account needs a recent sign-in: the matrix signs
people in without one, so allauth sends them to re-authenticate first (302)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from . import Row, everyone, signed_in


def ready_data_export(user, *, hours: int = 24, content: str = "Nothing yet."):
    """A ready download whose stored file is an encrypted zip holding ``README.txt``."""
    import io
    import zipfile

    from learning.models import DataExport
    from learning.privacy.archive import EncryptingWriter, archive_key_new

    now = timezone.now()
    export = DataExport.objects.create(
        user=user, progress=0, expires_at=now + timedelta(hours=hours)
    )
    key, sink = archive_key_new(), io.BytesIO()
    writer = EncryptingWriter(sink, key)
    with zipfile.ZipFile(writer, "w") as archive:
        archive.writestr("README.txt", content)
    writer.finish()
    export.file.save(f"matrix-{export.pk}.bin", ContentFile(sink.getvalue()), save=False)
    export.archive_key = key
    export.status, export.progress, export.finished_at = DataExport.Status.READY, 100, now
    export.save()
    return export


def _export(name):
    return lambda c: reverse(name, args=[c["data_export"].pk])


ROWS: list[Row] = [
    Row("data_home", lambda c: reverse("data_home"), signed_in(200)),
    Row("data_home", lambda c: reverse("data_home"), signed_in(405), method="post"),
    Row("data_export_request", lambda c: reverse("data_export_request"), signed_in(405)),
    Row(
        "data_export_request",
        lambda c: reverse("data_export_request"),
        signed_in(302),
        method="post",
    ),
    Row("data_export_detail", _export("data_export_detail"), signed_in(404, practitioner=200)),
    Row(
        "data_export_detail",
        lambda c: reverse("data_export_detail", args=[999999]),
        signed_in(404),
    ),
    Row(
        "data_export_detail",
        _export("data_export_detail"),
        signed_in(405),
        method="post",
    ),
    Row("data_export_status", _export("data_export_status"), signed_in(404, practitioner=200)),
    Row("data_export_file", _export("data_export_file"), signed_in(404, practitioner=200)),
    Row("data_export_file", _export("data_export_file"), signed_in(405), method="post"),
    # Re-authentication first: nobody in the matrix has signed in with a password just now.
    Row("account_delete", lambda c: reverse("account_delete"), signed_in(302)),
    Row(
        "account_delete",
        lambda c: reverse("account_delete"),
        signed_in(302),
        method="post",
        data={"confirm": "on"},
    ),
    Row("account_deleted", lambda c: reverse("account_deleted"), everyone(200)),
    Row("account_deleted", lambda c: reverse("account_deleted"), everyone(405), method="post"),
]


def extend_context(ctx: dict) -> None:
    """Add the objects the rows above need to the shared matrix context."""
    ctx["data_export"] = ready_data_export(ctx["people"]["practitioner"])
