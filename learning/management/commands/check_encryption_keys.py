"""Check that every encrypted value opens with the configured keys (run after every restore)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.backup import BackupError, encryption_check, manifest_read


class Command(BaseCommand):
    help = (
        "Read every encrypted field and two-factor secret and check that the keys in "
        "HOPE_FIELD_ENCRYPTION_KEYS open them. With --backup, also name the key fingerprints "
        "that backup was taken with and that are missing now. Fails if anything cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backup", type=Path, help="A backup folder, to compare its keys.")

    def handle(self, *args, **options):
        manifest = None
        if options["backup"]:
            try:
                manifest = manifest_read(options["backup"])
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        result = encryption_check(manifest=manifest)
        if not result.ok:
            raise CommandError(result.message())
        self.stdout.write(self.style.SUCCESS(result.message()))
