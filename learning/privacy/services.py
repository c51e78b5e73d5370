"""Writes for "your data": building the download archive and erasing an account.

Each service checks who is asking, changes state and writes an audit row (identifiers and
counts only, never content) in one transaction. Tasks in ``learning/privacy_tasks.py`` call the
builders by id."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.export_files import export_file_expire
from learning.forms import id_from
from learning.language import in_language_of
from learning.models import AuditEvent, DataExport, User
from learning.permissions import Person
from learning.privacy import documents, file_sources, handlers
from learning.privacy.archive import EncryptingWriter, archive_key_new, decrypted_chunks
from learning.queue import enqueue_on_commit
from learning.services import audit_record

Status = DataExport.Status


class ExportExpired(Exception):
    """The download is past its expiry time: its file has been deleted."""


def export_lifetime() -> timedelta:
    return timedelta(hours=settings.HOPE_DATA_EXPORT_HOURS)


def records_about(user: User) -> dict[str, list[dict]]:
    """Every registered record about ``user``, by model label (JSON-ready)."""
    out: dict[str, list[dict]] = {}
    for handler in handlers():
        if handler.export is None:
            continue
        rows = handler.export(user)
        if rows:
            out[handler.label] = rows
    return out


@transaction.atomic
def data_export_request(*, user: Person, ip_address: str | None = None) -> DataExport:
    """Ask for a copy of everything about the person; a task builds it after commit."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    now = timezone.now()
    data_exports_expire(now=now)
    export = DataExport.objects.create(
        user=user, created_at=now, expires_at=now + export_lifetime()
    )
    audit_record(action="data.export_requested", actor=user, target=export, ip_address=ip_address)
    from learning.privacy_tasks import data_export_build_task

    enqueue_on_commit(data_export_build_task, export.pk)
    return export


# The archive is built in memory only as far as it must be: the records (as Python rows) and one
# PDF at a time, plus at most one 64 KiB chunk of the clear zip inside the EncryptingWriter. What
# leaves the writer is ciphertext, spooled in memory up to SPOOL_BYTES and past that into an
# anonymous temporary file (ciphertext only), then copied to storage. A heavy journal user's
# archive is a few megabytes; the spool keeps even a much larger one off the heap.
SPOOL_BYTES = 8 * 1024 * 1024


def _archive_write(sink: IO[bytes], *, key: str, user: User, records: dict) -> None:
    """Write the zip for ``user``, encrypted under ``key``, into ``sink`` (ciphertext only)."""
    writer = EncryptingWriter(sink, key)
    # EncryptingWriter is a write-only file with no close(), which typeshed's zip writer protocol
    # asks for although zipfile does not call it on a file object it was given.
    with zipfile.ZipFile(writer, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[call-overload]
        with archive.open("records.json", "w") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            json.dump(
                {
                    "person": user.email,
                    "exported_at": timezone.now().isoformat(),
                    "product": settings.HOPE_PRODUCT_NAME,
                    "records": records,
                },
                text,
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            )
            text.flush()
            text.detach()
        written = {"records.json"}

        def entry(name: str) -> str:
            # Two registered parts naming the same entry would leave a zip with two files of
            # one name, which unzip tools resolve differently: refused, so a test finds it.
            if name in written:
                raise ValueError(f"Two parts of the archive are both named {name!r}")
            written.add(name)
            return name

        for document in documents():
            content = document.build(user)
            if content:
                archive.writestr(entry(document.name), content)
        archive.writestr(entry("README.txt"), readme_text())
        for files in file_sources():
            for name, opener in files.source(user):
                path = entry(f"files/{files.folder}/{name}")
                with opener() as source, archive.open(path, "w") as out:
                    shutil.copyfileobj(source, out)
    writer.finish()


def data_export_build(*, export_id: int) -> None:
    """Build the zip, encrypted before it touches storage. Safe to run twice: a finished export
    is left alone, and a run cut short is simply done again."""
    claimed = DataExport.objects.filter(
        pk=export_id, status__in=[Status.PENDING, Status.RUNNING]
    ).update(status=Status.RUNNING, progress=10)
    if not claimed:
        return
    export = DataExport.objects.select_related("user").get(pk=export_id)
    user = export.user
    key = archive_key_new()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as sink:
        try:
            records = records_about(user)
            DataExport.objects.filter(pk=export_id).update(progress=50)
            # Built in a task: the PDFs and the README in the person's language.
            with in_language_of(user):
                _archive_write(sink, key=key, user=user, records=records)
        except Exception:
            DataExport.objects.filter(pk=export_id).update(status=Status.FAILED, progress=100)
            raise
        sink.seek(0)
        _archive_save(export_id, sink=sink, key=key, records=records)


@transaction.atomic
def _archive_save(export_id: int, *, sink: IO[bytes], key: str, records: dict) -> None:
    """Store the ciphertext and its key together, unless another run finished first."""
    export = DataExport.objects.select_for_update().get(pk=export_id)
    if export.status != Status.RUNNING:
        return
    if export.file:
        export.file.delete(save=False)
    name = f"my-data-{timezone.localdate().isoformat()}-{export.pk}.bin"
    export.file.save(name, File(sink), save=False)
    export.archive_key = key
    export.status = Status.READY
    export.progress = 100
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "archive_key", "status", "progress", "finished_at"])
    audit_record(
        action="data.export_ready",
        target=export,
        data={"kinds": len(records), "rows": sum(len(r) for r in records.values())},
    )


def readme_text() -> str:
    """The archive's README, in the active language (the person's: see ``_archive_write``)."""
    lines = (
        _("Everything Holding Hope holds about you."),
        "",
        _("records.json: every record about you, by kind of record."),
        _("journal.pdf: your reflective journal (if you have one)."),
        _("supervision-log.pdf: your supervision log (if you have one)."),
        _("files/: files you uploaded, such as evidence for your CPD (if you have any)."),
        "",
        _("This is private: keep it somewhere safe."),
    )
    return "\n".join(lines) + "\n"


def is_expired(export: DataExport) -> bool:
    return export.status == Status.EXPIRED or export.expires_at <= timezone.now()


def data_export_download(*, user: User, export: DataExport) -> Iterator[bytes]:
    """The zip for its owner, decrypted chunk by chunk as it is read (for a streaming
    response). Past expiry the file and key are deleted and ``ExportExpired`` raised."""
    if export.user_id != user.pk:
        raise PermissionDenied
    if export.status == Status.EXPIRED:
        raise ExportExpired
    if export.expires_at <= timezone.now():
        with transaction.atomic():
            export_file_expire(export)
            audit_record(action="data.export_expired", actor=user, target=export)
        raise ExportExpired
    if export.status != Status.READY:
        raise ExportExpired
    audit_record(action="data.export_downloaded", actor=user, target=export)
    return _decrypted(export.file, export.archive_key)


def _decrypted(stored: FieldFile, key: str) -> Iterator[bytes]:
    with stored.open("rb") as fh:
        yield from decrypted_chunks(fh, key)


def data_exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of every download past its expiry. Returns how many expired."""
    now = now or timezone.now()
    due = list(
        DataExport.objects.filter(
            expires_at__lte=now, status__in=[Status.PENDING, Status.RUNNING, Status.READY]
        )
    )
    for export in due:
        export_file_expire(export)
        audit_record(action="data.export_expired", target=export)
    return len(due)


# --- Erasure ---------------------------------------------------------------------------------


@transaction.atomic
def account_erasure_request(*, user: Person, ip_address: str | None = None) -> None:
    """Deactivate the account at once (the view signs the person out) and queue its erasure."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    permissions.forget_roles(user)
    audit_record(action="account.erasure_requested", actor=user, target=user, ip_address=ip_address)
    from learning.privacy_tasks import account_erase_task

    enqueue_on_commit(account_erase_task, user.pk)


def account_erase(*, user_id: int, retention: bool = False) -> bool:
    """Erase everything about a deactivated person who asked for it (or, with ``retention``,
    whose account ended longer ago than the retention period). Safe to run twice: once the
    account is gone there is nothing to do. Returns whether anything was erased."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=False).first()
        if user is None:
            return False
        asked = AuditEvent.objects.filter(
            action="account.erasure_requested",
            target_type=user._meta.label_lower,
            target_id=str(user.pk),
        ).exists()
        if not asked and not retention:
            return False
        for handler in handlers():
            if handler.erase is not None:
                handler.erase(user)
        user.delete()
        # No actor and no name: only that an account was erased, and its former number.
        audit_record(action="account.erased", data={"former_account": user_id})
    return True


def privacy_retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Beat, hourly: delete the files of downloads past their expiry, and finish any erasure
    that was asked for more than ``HOPE_ERASURE_RETRY_MINUTES`` ago but has not happened (a
    backstop: the outbox already makes a lost task unlikely)."""
    now = now or timezone.now()
    expired = data_exports_expire(now=now)
    cutoff = now - timedelta(minutes=settings.HOPE_ERASURE_RETRY_MINUTES)
    asked = AuditEvent.objects.filter(
        action="account.erasure_requested",
        target_type=User._meta.label_lower,
        created_at__lte=cutoff,
    ).values_list("target_id", flat=True)
    waiting = User.objects.filter(
        is_active=False, pk__in=[n for n in map(id_from, asked) if n is not None]
    ).values_list("pk", flat=True)
    erased = sum(1 for user_id in waiting if account_erase(user_id=user_id))
    return {
        "downloads_expired": expired,
        "accounts_erased": erased,
        **retention_apply(now=now),
    }


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """How long records are kept once they are no longer needed (``HOPE_RETENTION_DAYS``; 0
    keeps them): accounts that ended (deactivated, and not signed in for that long) are erased
    exactly as if the person had asked, with a system audit row; read notifications go."""
    from learning.models import Notification

    now = now or timezone.now()
    days = settings.HOPE_RETENTION_DAYS
    counts = {"ended_accounts_erased": 0, "notifications_deleted": 0}
    if days.get("ended_accounts"):
        cutoff = now - timedelta(days=days["ended_accounts"])
        ended = User.objects.filter(is_active=False).filter(
            models.Q(last_login__lt=cutoff)
            | models.Q(last_login__isnull=True, date_joined__lt=cutoff)
        )
        for user_id in ended.values_list("pk", flat=True)[:500]:
            audit_record(
                action="account.retention_erasure",
                data={"former_account": user_id, "after_days": days["ended_accounts"]},
            )
            if account_erase(user_id=user_id, retention=True):
                counts["ended_accounts_erased"] += 1
    if days.get("read_notifications"):
        cutoff = now - timedelta(days=days["read_notifications"])
        counts["notifications_deleted"], _ = Notification.objects.filter(
            read_at__lt=cutoff
        ).delete()
    return counts
