"""The migrated test database, built once and copied, where the tests run on in-memory SQLite.

Migrating this project from nothing takes about 25 seconds of CPU (nearly all of it Django
building model states for some 290 migrations, not SQLite's work). Without this, each xdist
worker paid it at the start of every run. Here the first worker to need a database migrates one
in memory and saves it as a file named by a digest of every migration file (and the settings
module); every worker then copies that file into its own in-memory database with SQLite's
backup call, which takes milliseconds. A later run with the same migrations finds the file and
migrates nothing; a changed, added or removed migration changes the digest, so a stale database
is never used.

A transactional test (a browser test's live server, say) ends with pytest-django's flush, which
also empties what the migrations put in: Wagtail's root page and collection, the locales, the
groups. A test that runs after it on the same worker (work stealing can put any test there)
would find none of them, so ``restore_base`` copies the template back after every
transactional test. Elsewhere (PostgreSQL) nothing is restored, so ``make test`` keeps xdist's
``load`` distribution, which hands tests out in pytest-django's order (transactional last).

Only the embedded default (in-memory SQLite) takes the template path. Anything else,
PostgreSQL in CI included, is set up exactly as pytest-django does it (``setup_databases``), so
CI still proves the migrations apply to a real server on every run.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

ALIAS = "default"


def in_memory_sqlite() -> bool:
    database = settings.DATABASES[ALIAS]
    sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
    test_name = database.get("TEST", {}).get("NAME")
    return sqlite and database["NAME"] in (":memory:", "") and not test_name


def migrations_digest() -> str:
    """A digest of every installed app's migration files, and of the settings module: the
    template is only as good as the migrations it was built from. The files are read, never
    imported (one of Wagtail's add-ons queries the database as its migration is imported)."""
    from importlib.util import find_spec

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(os.environ.get("DJANGO_SETTINGS_MODULE", "").encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        module, _explicit = MigrationLoader.migrations_module(app.label)
        spec = find_spec(module) if module else None
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for path in sorted(Path(folder).glob("*.py")):
                digest.update(f"{app.label}/{path.name}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _save(template: Path) -> None:
    """Copy the connection's migrated in-memory database into ``template`` (atomically)."""
    partial = template.with_suffix(f".{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        connections[ALIAS].connection.backup(target)
    finally:
        target.close()
    os.replace(partial, template)


def _load(template: Path) -> None:
    """Point the default connection at its in-memory test database and fill it from
    ``template``, as ``create_test_db`` would have after migrating."""
    connection = connections[ALIAS]
    name = connection.creation._get_test_db_name()
    # The SQLite backend ignores close() on an in-memory database (closing would lose it), so
    # a connection something opened early would stay on a private ":memory:" database that
    # other threads (the live server's) cannot see. Close it for real before renaming.
    BaseDatabaseWrapper.close(connection)
    settings.DATABASES[ALIAS]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


# The template restore_base copies back, once this process has one.
_TEMPLATE: list[Path] = []

# The other state a test may start from: the migrated rows plus the landing page the
# ``home_page`` fixture builds, kept in memory once this process has built it, and the name of
# the state the database holds now ("base" or "home").
_HOME: list[sqlite3.Connection] = []
_CURRENT = ["base"]


def remember_base(template: Path) -> None:
    """Keep the template ``restore_base`` copies back."""
    _TEMPLATE[:] = [template]


def _copied_in(source: sqlite3.Connection, state: str) -> None:
    from django.contrib.contenttypes.models import ContentType

    source.backup(connections[ALIAS].connection)
    # A flush's post_migrate may have made content types afresh; the copied ones have other ids.
    ContentType.objects.clear_cache()
    _CURRENT[0] = state


def restore_base() -> None:
    """Put back the migrated database's own rows after a flush (the template path only)."""
    if not _TEMPLATE:
        return
    source = sqlite3.connect(_TEMPLATE[0])
    try:
        _copied_in(source, "base")
    finally:
        source.close()


def start_from(state: str, build_home: Callable[[], object]) -> None:
    """Before a test: make the database hold ``state``, "home" for a test that uses the
    ``home_page`` fixture and "base" for any other (the template path only).

    Building the landing page (Wagtail's add_child, a revision, publishing, the search and
    reference indexes) costs about 50 ms of CPU, and some 150 tests use it. Each process builds it
    once, on top of the migrated rows, and copies the result in (a few milliseconds) for every
    test that asks for it; the fixture then finds the page. A test that does not ask for it
    gets the migrated rows alone, as before. A test ends with its rows rolled back (or, if
    transactional, flushed and the base restored), so the state it started from is what the
    database holds when the next test begins."""
    if not _TEMPLATE or _CURRENT[0] == state:
        return
    if state == "base":
        restore_base()
        return
    if _HOME:
        _copied_in(_HOME[0], "home")
        return
    restore_base()
    build_home()
    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    connections[ALIAS].connection.backup(snapshot)
    _HOME.append(snapshot)
    _CURRENT[0] = "home"


def setup_from_template(folder: Path, verbosity: int) -> list:
    """Give this process its migrated test database; returns ``setup_databases``' config so
    ``teardown_databases`` can undo it."""
    from django.test.utils import setup_databases

    folder.mkdir(parents=True, exist_ok=True)
    template = folder / f"migrated-{migrations_digest()}.sqlite3"
    old_name = settings.DATABASES[ALIAS]["NAME"]
    with _locked(folder / "build.lock"):
        if not template.exists():
            config = setup_databases(verbosity=verbosity, interactive=False, aliases={ALIAS})
            _save(template)
            for stale in folder.glob("migrated-*.sqlite3"):
                if stale != template:
                    stale.unlink(missing_ok=True)
            remember_base(template)
            return config
    _load(template)
    remember_base(template)
    return [(connections[ALIAS], old_name, True)]
