"""Restore a backup into a database, then prove the configured keys open everything in it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from learning.backup import (
    BackupError,
    database_alias,
    encryption_check,
    manifest_read,
    media_verify,
    restore_database,
)


class Command(BaseCommand):
    help = (
        "Restore a backup taken by `manage.py backup` into the configured database (or "
        "--target), check media against the manifest, then check that every encrypted value "
        "opens with HOPE_FIELD_ENCRYPTION_KEYS. Fails, naming the missing key fingerprints, if "
        "not."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup folder.")
        parser.add_argument(
            "--target",
            help="Database name (PostgreSQL, must exist) or file (SQLite) to restore into. "
            "Defaults to the configured database.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that the target's current contents are replaced.",
        )

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("Restoring replaces the target database. Add --yes to go ahead.")
        folder = options["folder"]
        target = options["target"] or str(connection.settings_dict["NAME"])
        try:
            manifest = manifest_read(folder)
            restore_database(folder=folder, manifest=manifest, target=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database restored into {target} from {folder}")
        problems = media_verify(manifest["media"])
        for problem in problems:
            self.stdout.write(self.style.WARNING(f"  media {problem}"))
        if not problems:
            self.stdout.write(f"  all {len(manifest['media'])} media files present and unchanged")
        connection.close()  # the restored tables replace what this connection saw
        with database_alias(name=target) as alias:
            result = encryption_check(using=alias, manifest=manifest)
        if not result.ok:
            raise CommandError(result.message())
        self.stdout.write(self.style.SUCCESS(result.message()))
