"""Backups that can be restored, and proof after a restore that the keys still open the data.

A backup is a folder holding:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (a
  consistent copy made with SQLite's online backup);
- ``manifest.json``: when and from what it was taken, the dump's SHA-256, every media file's
  path, size and SHA-256, and the SHA-256 *fingerprints* of the encryption keys in force, with
  how many encrypted values each key opened. Never the keys themselves: a dump is useless
  without them, so they are escrowed separately (docs/operations.md, "Key escrow").

After a restore, ``encryption_check`` reads every encrypted field and two-factor secret straight
from the database (no decrypted value is kept or shown) and says which values the configured
keys cannot open and which fingerprint, recorded in the manifest, is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FORMAT_VERSION = 1
TWO_FACTOR_PREFIX = "fernet:"  # learning.adapters.ENCRYPTED_PREFIX


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


# --- keys --------------------------------------------------------------------------------------


def key_fingerprint(key: str) -> str:
    """SHA-256 of a Fernet key, in hex: names a key without revealing it."""
    return hashlib.sha256(key.strip().encode("ascii")).hexdigest()


def short(fingerprint: str) -> str:
    return fingerprint[:16]


def configured_fingerprints() -> list[str]:
    return [key_fingerprint(key) for key in settings.HOPE_FIELD_ENCRYPTION_KEYS]


def _fernets() -> list[tuple[str, Fernet]]:
    try:
        return [(key_fingerprint(k), Fernet(k)) for k in settings.HOPE_FIELD_ENCRYPTION_KEYS]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "HOPE_FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key."
        ) from exc


def _opening_key(token: str, fernets: list[tuple[str, Fernet]]) -> str | None:
    """The fingerprint of the configured key that opens ``token``, or None."""
    raw = token.encode("ascii", "replace")
    for fingerprint, fernet in fernets:
        try:
            fernet.decrypt(raw)
        except InvalidToken:
            continue
        return fingerprint
    return None


def _encrypted_tokens(using: str) -> Iterator[tuple[str, str]]:
    """(where, token) for every stored encrypted value, read raw from the database: each
    encrypted model field, then every two-factor secret."""
    from learning.encryption import encrypted_fields

    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, names in encrypted_fields():
            table = quote(model._meta.db_table)
            for name in names:
                column = quote(model._meta.get_field(name).column)
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608 (names from the model)
                )
                where = f"{model._meta.label}.{name}"
                for (token,) in cursor.fetchall():
                    yield where, token
        from allauth.mfa.models import Authenticator

        cursor.execute(
            f"SELECT {quote('data')} FROM {quote(Authenticator._meta.db_table)}"  # noqa: S608
        )
        for (data,) in cursor.fetchall():
            data = json.loads(data) if isinstance(data, str) else (data or {})
            values = [data.get("secret"), data.get("seed"), *(data.get("migrated_codes") or [])]
            for value in values:
                if isinstance(value, str) and value.startswith(TWO_FACTOR_PREFIX):
                    yield "two-factor secrets", value[len(TWO_FACTOR_PREFIX) :]


@dataclass
class KeyCheck:
    """What the configured keys open. ``unreadable`` counts values no key opens, by field."""

    checked: int = 0
    by_key: Counter = field(default_factory=Counter)
    unreadable: Counter = field(default_factory=Counter)
    missing_fingerprints: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.missing_fingerprints

    def message(self) -> str:
        if self.ok:
            return (
                f"All {self.checked} encrypted values open with the configured keys "
                f"({', '.join(short(f) for f in configured_fingerprints())})."
            )
        lines = []
        if self.unreadable:
            total = sum(self.unreadable.values())
            lines.append(
                f"{total} of {self.checked} encrypted values cannot be opened with any key in "
                "HOPE_FIELD_ENCRYPTION_KEYS:"
            )
            lines += [f"  {where}: {n}" for where, n in sorted(self.unreadable.items())]
        if self.missing_fingerprints:
            lines.append(
                "The backup was taken with keys that are not configured now. Add the escrowed "
                "key with each of these SHA-256 fingerprints to HOPE_FIELD_ENCRYPTION_KEYS:"
            )
            lines += [f"  {f}" for f in self.missing_fingerprints]
        else:
            lines.append(
                "Find the escrowed key that was in force when this data was written and add it "
                "to HOPE_FIELD_ENCRYPTION_KEYS (fingerprints configured now: "
                f"{', '.join(short(f) for f in configured_fingerprints())})."
            )
        lines.append("Do not serve the service until this passes: journal text would not open.")
        return "\n".join(lines)


def encryption_check(*, using: str = "default", manifest: dict | None = None) -> KeyCheck:
    """Try every stored encrypted value against each configured key. With a backup's
    ``manifest``, also name each key fingerprint that opened values then and is missing now."""
    fernets = _fernets()
    result = KeyCheck()
    for where, token in _encrypted_tokens(using):
        result.checked += 1
        fingerprint = _opening_key(token, fernets)
        if fingerprint is None:
            result.unreadable[where] += 1
        else:
            result.by_key[fingerprint] += 1
    if manifest is not None:
        configured = set(configured_fingerprints())
        result.missing_fingerprints = [
            entry["fingerprint"]
            for entry in manifest.get("keys", [])
            if entry.get("values") and entry["fingerprint"] not in configured
        ]
    return result


# --- media -------------------------------------------------------------------------------------


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def media_manifest(*, storage: Storage | None = None, skip: str = "backups/") -> list[dict]:
    """Path, size and SHA-256 of every file in media storage (backups stored there excluded)."""
    storage = storage or default_storage
    entries = []
    for path in _walk(storage):
        if path.startswith(skip):
            continue
        with storage.open(path, "rb") as handle:
            entries.append({"path": path, "size": storage.size(path), "sha256": _sha256_of(handle)})
    return entries


def media_verify(entries: list[dict], *, storage: Storage | None = None) -> list[str]:
    """Problems with media after a restore: files missing or not as they were backed up."""
    storage = storage or default_storage
    problems = []
    for entry in entries:
        path = entry["path"]
        if not storage.exists(path):
            problems.append(f"missing: {path}")
            continue
        with storage.open(path, "rb") as handle:
            if _sha256_of(handle) != entry["sha256"]:
                problems.append(f"changed: {path}")
    return problems


# --- database ----------------------------------------------------------------------------------


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_env(settings_dict: dict) -> tuple[dict, list[str]]:
    """Environment (password) and connection arguments for pg_dump and pg_restore."""
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    return environment, args


def _run(command: list[str], environment: dict) -> None:
    try:
        done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed. Install the PostgreSQL client tools of the same "
            "major version as the server."
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(using: str, folder: Path) -> Path:
    connection = connections[using]
    if _engine(using) == "postgresql":
        environment, args = _pg_env(connection.settings_dict)
        target = folder / PG_DUMP
        _run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                connection.settings_dict["NAME"],
            ],
            environment,
        )
        return target
    if connection.in_atomic_block:
        # SQLite's backup waits for open write transactions, so it would wait for its caller.
        raise BackupError("A backup reads committed data: run it outside a transaction.")
    target = folder / SQLITE_COPY
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # SQLite's online backup: a consistent copy
    finally:
        copy.close()
    return target


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256_of(handle)


def backup_create(
    *, destination: Path | None = None, to_storage: bool = False, using: str = "default"
) -> tuple[str, dict]:
    """Take a backup. Writes it into a new folder under ``destination`` (or, with
    ``to_storage``, under ``backups/`` in the configured media storage). Returns where it went
    and the manifest."""
    if destination is None and not to_storage:
        raise BackupError("Say where the backup goes: a folder, or the configured storage.")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name = f"hope-backup-{stamp}"
    with tempfile.TemporaryDirectory(prefix="hope-backup-") as scratch:
        work = Path(scratch) / name
        work.mkdir(mode=0o700)
        dump = _dump_database(using, work)
        check = encryption_check(using=using)
        if not check.ok:
            raise BackupError(check.message())
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": _engine(using),
            "database": {"file": dump.name, "sha256": _file_sha256(dump)},
            "keys": [
                {"position": n, "fingerprint": f, "values": check.by_key.get(f, 0)}
                for n, f in enumerate(configured_fingerprints())
            ],
            "encrypted_values": check.checked,
            "media": media_manifest(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if to_storage:
            for path in sorted(work.iterdir()):
                with path.open("rb") as handle:
                    default_storage.save(f"backups/{name}/{path.name}", ContentFile(handle.read()))
            return f"storage:backups/{name}", manifest
        assert destination is not None
        destination.mkdir(parents=True, exist_ok=True)
        final = destination / name
        shutil.copytree(work, final)
        return str(final), manifest


# --- restore -----------------------------------------------------------------------------------


def manifest_read(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a Holding Hope backup.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    dump = folder / manifest["database"]["file"]
    if not dump.exists() or _file_sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump.name} is missing or does not match its checksum.")
    return manifest


@contextmanager
def database_alias(*, name: str, using: str = "default") -> Iterator[str]:
    """A connection alias for another database (or SQLite file) on the same server as
    ``using``, removed afterwards."""
    alias = f"restore-{name}"
    config = {**connections[using].settings_dict, "NAME": name}
    connections.settings[alias] = config
    try:
        connections[alias].connect()  # open it now: a wrong name or file fails here, clearly
        yield alias
    finally:
        if alias in connections:
            connections[alias].close()
            del connections[alias]
        connections.settings.pop(alias, None)


def restore_database(*, folder: Path, manifest: dict, target: str, using: str = "default") -> None:
    """Load a backup's database into ``target`` (a PostgreSQL database name that exists and is
    empty or expendable, or a SQLite file path that will be replaced)."""
    engine = _engine(using)
    if engine != manifest["engine"]:
        raise BackupError(f"This backup is of {manifest['engine']}; the target is {engine}.")
    dump = folder / manifest["database"]["file"]
    if engine == "sqlite":
        shutil.copyfile(dump, target)
        return
    environment, args = _pg_env(connections[using].settings_dict)
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            target,
            str(dump),
        ],
        environment,
    )
