"""Download archives are encrypted at rest: the stored object is ciphertext under a per-export
key, only its owner's download is the real zip, and an expired export keeps neither file nor
key."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from learning.models import DataExport, Role
from learning.privacy import services
from learning.privacy.archive import (
    CHUNK,
    ArchiveUnreadable,
    EncryptingWriter,
    archive_key_new,
    decrypted_chunks,
)

from .factories import MembershipFactory, UserFactory
from .journal_factories import make_entry
from .supervision_factories import SENTINEL, make_relationship, make_session

pytestmark = pytest.mark.django_db

JOURNAL_SENTINEL = "SENTINEL-journal-archive-51d0"


@pytest.fixture
def person(organisation):
    return MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user


def _built(person, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = services.data_export_request(user=person)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    return export


def _stored_bytes(export: DataExport) -> bytes:
    with export.file.storage.open(export.file.name, "rb") as fh:
        return fh.read()


def _with_content(person):
    from reflection.supervision.models import SupervisionCheckIn

    make_entry(person, title=f"A hard shift {JOURNAL_SENTINEL}")
    session = make_session(make_relationship(person), locked=True)
    SupervisionCheckIn.objects.create(
        session=session,
        supervisee=person,
        workload=3,
        emotional_impact=4,
        support=2,
        notes=f"Private check-in note. {SENTINEL}",
    )


def test_stored_archive_is_ciphertext_and_owner_gets_the_zip(
    client, person, django_capture_on_commit_callbacks
):
    _with_content(person)
    export = _built(person, django_capture_on_commit_callbacks)

    stored = _stored_bytes(export)
    assert JOURNAL_SENTINEL.encode() not in stored
    assert SENTINEL.encode() not in stored
    assert b"records.json" not in stored and not stored.startswith(b"PK")
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(stored))
    # The key is in the row, encrypted with the field keys: the raw column holds no key.
    with connection.cursor() as cursor:
        cursor.execute("SELECT archive_key FROM learning_dataexport WHERE id = %s", [export.pk])
        (raw,) = cursor.fetchone()
    assert export.archive_key and raw and export.archive_key not in raw

    client.force_login(person)
    response = client.get(reverse("data_export_file", args=[export.pk]))
    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert {"records.json", "journal.pdf", "supervision-log.pdf", "README.txt"} <= set(
        archive.namelist()
    )
    records = json.loads(archive.read("records.json"))["records"]
    titles = [row["title"] for row in records["reflection.journalentry"]]
    assert any(JOURNAL_SENTINEL in t for t in titles)
    notes = [row["notes"] for row in records["reflection.supervisioncheckin"]]
    assert any(SENTINEL in n for n in notes)
    assert "archive_key" not in json.dumps(records.get("learning.dataexport", []))


def test_another_person_gets_404_for_the_file(client, person, django_capture_on_commit_callbacks):
    export = _built(person, django_capture_on_commit_callbacks)
    client.force_login(UserFactory())
    assert client.get(reverse("data_export_file", args=[export.pk])).status_code == 404
    assert client.get(reverse("data_export_detail", args=[export.pk])).status_code == 404


def test_each_export_has_its_own_key(person, django_capture_on_commit_callbacks):
    first = _built(person, django_capture_on_commit_callbacks)
    second = _built(person, django_capture_on_commit_callbacks)
    assert first.archive_key != second.archive_key
    with pytest.raises(ArchiveUnreadable), first.file.open("rb") as fh:
        list(decrypted_chunks(fh, second.archive_key))


def test_expired_export_has_neither_file_nor_key(
    client, person, django_capture_on_commit_callbacks
):
    export = _built(person, django_capture_on_commit_callbacks)
    name = export.file.name
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    client.force_login(person)
    assert client.get(reverse("data_export_file", args=[export.pk])).status_code == 410
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert not export.file and export.archive_key == ""
    assert not export.file.storage.exists(name)


def test_retention_beat_deletes_key_with_file(person, django_capture_on_commit_callbacks):
    export = _built(person, django_capture_on_commit_callbacks)
    name = export.file.name
    services.data_exports_expire(now=export.expires_at + timedelta(seconds=1))
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and export.archive_key == ""
    assert not export.file.storage.exists(name)


def test_database_refuses_ready_without_key_and_expired_with_key(person):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        DataExport.objects.create(
            user=person, status="ready", finished_at=now, file="x.bin", expires_at=now
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DataExport.objects.create(
            user=person, status="expired", archive_key=archive_key_new(), expires_at=now
        )


def test_large_archive_round_trips_in_chunks():
    key, sink = archive_key_new(), io.BytesIO()
    writer = EncryptingWriter(sink, key)
    payload = bytes(range(256)) * (3 * CHUNK // 256 + 7)
    with zipfile.ZipFile(writer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("big.bin", payload)
    writer.finish()
    stored = sink.getvalue()
    assert payload[:1024] not in stored
    chunks = list(decrypted_chunks(io.BytesIO(stored), key))
    assert len(chunks) > 3 and max(len(c) for c in chunks) <= CHUNK
    assert zipfile.ZipFile(io.BytesIO(b"".join(chunks))).read("big.bin") == payload


def test_altered_or_cut_short_archive_is_refused():
    key, sink = archive_key_new(), io.BytesIO()
    writer = EncryptingWriter(sink, key)
    writer.write(b"x" * (2 * CHUNK + 10))
    writer.finish()
    stored = sink.getvalue()
    flipped = bytearray(stored)
    flipped[len(stored) // 2] ^= 1
    for damaged in (bytes(flipped), stored[: len(stored) - 40], stored[: -(CHUNK // 2)]):
        with pytest.raises(ArchiveUnreadable):
            list(decrypted_chunks(io.BytesIO(damaged), key))
    # Dropping the last chunk at a chunk boundary is noticed too.
    first_two = len(b"HHAR1\n") + 2 * (5 + 12 + CHUNK + 16)
    with pytest.raises(ArchiveUnreadable):
        list(decrypted_chunks(io.BytesIO(stored[:first_two]), key))


def test_a_part_named_like_another_is_refused_not_written_twice(person, monkeypatch):
    """Two registered parts of the download with one name would give a zip with two entries of
    that name (unzip tools keep either): the writer refuses it, so it shows up in a test."""
    from learning import privacy

    monkeypatch.setitem(
        privacy._DOCUMENTS, "README.txt", privacy.PrivacyDocument("README.txt", lambda u: b"x")
    )
    with pytest.raises(ValueError, match=r"README\.txt"):
        services._archive_write(io.BytesIO(), key=archive_key_new(), user=person, records={})
