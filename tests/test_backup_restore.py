"""The restore drill (docs/operations.md, "Restore drill"): back up, restore into a fresh
database, read journal entries back with the escrowed keys, and see a restore with the wrong
keys refuse clearly, naming the fingerprint that is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from learning import backup
from learning.adapters import encrypt_secret
from reflection.models import JournalEntry

from .factories import UserFactory
from .journal_factories import SENTINEL, make_entry

TEST_KEY = "dGVzdC1vbmx5LWhvbGRpbmctaG9wZS1maWVsZC1rZXk="
ESCROWED_NEW_KEY = Fernet.generate_key().decode()


def _some_data():
    author = UserFactory()
    make_entry(author, title="Before rotation")
    # A two-factor secret encrypted with the current key.
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=author, type="totp", data={"secret": encrypt_secret("JBSWY3DPEHPK3PXP")}
    )
    # Media storage lasts the whole test run: each test saves under its own name.
    author.media_path = default_storage.save(
        f"certificates/{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.4 one")
    )
    return author


def _read_titles(alias: str) -> list[str]:
    return sorted(JournalEntry.objects.using(alias).values_list("title", flat=True))


def _assert_backup_holds_no_key(folder: Path):
    text = (folder / backup.MANIFEST).read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert TEST_KEY not in text and ESCROWED_NEW_KEY not in text
    assert SENTINEL not in text
    return manifest


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_fresh_file_and_opens_with_the_escrowed_keys(tmp_path):
    if connection.vendor != "sqlite":
        # Both paths are tested in every run: against PostgreSQL, this drill runs itself again
        # in a second process on the embedded default (SQLite), and must pass there.
        env = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_XDIST_WORKER")
        }
        this = "test_sqlite_backup_restores_into_a_fresh_file_and_opens_with_the_escrowed_keys"
        node = f"{__file__}::{this}"
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:xdist",
                "-p",
                "no:randomly",
                "-p",
                "no:cacheprovider",
                node,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0 and "1 passed" in run.stdout, (
            run.stdout[-3000:] + run.stderr[-2000:]
        )
        return
    author = _some_data()
    # Rotate: the new key goes first and one more entry is written with it.
    with override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[ESCROWED_NEW_KEY, TEST_KEY]):
        make_entry(author, title="After rotation")
        call_command("backup", "--to", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = _assert_backup_holds_no_key(folder)
    assert [k["fingerprint"] for k in manifest["keys"]] == [
        backup.key_fingerprint(ESCROWED_NEW_KEY),
        backup.key_fingerprint(TEST_KEY),
    ]
    # Two title/summary/body values per entry plus the two-factor secret, by key.
    assert manifest["keys"][0]["values"] > 0 and manifest["keys"][1]["values"] > 0
    assert {
        "path": author.media_path,
        "size": 12,
        "sha256": backup.hashlib.sha256(b"%PDF-1.4 one").hexdigest(),
    } in manifest["media"]

    restored = tmp_path / "restored.sqlite3"
    # The escrowed keys (both) open everything.
    with override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[ESCROWED_NEW_KEY, TEST_KEY]):
        call_command("restore", str(folder), "--target", str(restored), "--yes")
        with backup.database_alias(name=str(restored)) as alias:
            assert _read_titles(alias) == ["After rotation", "Before rotation"]
            bodies = {e.title: e.body_json for e in JournalEntry.objects.using(alias)}
            assert SENTINEL in bodies["Before rotation"]

    # Only the old key: the restore refuses, naming the new key's fingerprint.
    restored.unlink()
    with (
        override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[TEST_KEY]),
        pytest.raises(CommandError) as refused,
    ):
        call_command("restore", str(folder), "--target", str(restored), "--yes")
    message = str(refused.value)
    assert backup.key_fingerprint(ESCROWED_NEW_KEY) in message
    assert "cannot be opened with any key" in message
    assert "reflection.JournalEntry.title: 1" in message
    assert ESCROWED_NEW_KEY not in message and SENTINEL not in message


@pytest.mark.django_db
def test_check_encryption_keys_passes_then_names_an_unreadable_two_factor_secret():
    _some_data()
    call_command("check_encryption_keys")
    with (
        override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[ESCROWED_NEW_KEY]),
        pytest.raises(CommandError) as refused,
    ):
        call_command("check_encryption_keys")
    assert "two-factor secrets: 1" in str(refused.value)
    assert "Do not serve the service" in str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_backup_to_storage_and_a_tampered_dump_is_refused(tmp_path):
    _some_data()
    location, manifest = backup.backup_create(to_storage=True)
    name = location.removeprefix("storage:")
    assert default_storage.exists(f"{name}/{backup.MANIFEST}")
    assert not any(m["path"].startswith("backups/") for m in manifest["media"])
    # A copy on disk whose dump has changed since it was taken is refused.
    folder = tmp_path / "copy"
    folder.mkdir()
    for file in (backup.MANIFEST, manifest["database"]["file"]):
        with default_storage.open(f"{name}/{file}", "rb") as handle:
            (folder / file).write_bytes(handle.read())
    with (folder / manifest["database"]["file"]).open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(folder), "--target", str(tmp_path / "x.sqlite3"), "--yes")


def test_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))


def _psql(*args: str) -> None:
    settings_dict = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(settings_dict.get("PASSWORD") or "")}
    base = ["--host", settings_dict.get("HOST") or "127.0.0.1", "--username"]
    base += [settings_dict.get("USER") or "postgres"]
    if settings_dict.get("PORT"):
        base += ["--port", str(settings_dict["PORT"])]
    subprocess.run([*args[:1], *base, *args[1:]], check=True, env=env, capture_output=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_a_fresh_database_and_refuses_the_wrong_keys(tmp_path):
    author = _some_data()
    with override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[ESCROWED_NEW_KEY, TEST_KEY]):
        make_entry(author, title="After rotation")
        call_command("backup", "--to", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    manifest = _assert_backup_holds_no_key(folder)
    assert manifest["engine"] == "postgresql" and manifest["database"]["file"] == "database.dump"

    fresh = f"hh_restore_{uuid.uuid4().hex[:10]}"
    _psql("createdb", fresh)
    try:
        with override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[ESCROWED_NEW_KEY, TEST_KEY]):
            call_command("restore", str(folder), "--target", fresh, "--yes")
            with backup.database_alias(name=fresh) as alias:
                assert _read_titles(alias) == ["After rotation", "Before rotation"]
                bodies = {e.title: e.body_json for e in JournalEntry.objects.using(alias)}
                assert SENTINEL in bodies["Before rotation"]
                assert backup.encryption_check(using=alias).ok
        with (
            override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[TEST_KEY]),
            pytest.raises(CommandError) as refused,
        ):
            call_command("restore", str(folder), "--target", fresh, "--yes")
        assert backup.key_fingerprint(ESCROWED_NEW_KEY) in str(refused.value)
        assert ESCROWED_NEW_KEY not in str(refused.value)
    finally:
        for alias in list(connections.settings):
            if alias.startswith("restore-"):
                connections[alias].close()
        _psql("dropdb", "--if-exists", fresh)
