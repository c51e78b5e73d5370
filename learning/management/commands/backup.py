"""Take a backup: the database, a media manifest and the fingerprints of the keys in force."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.backup import BackupError, backup_create, short


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or a consistent SQLite copy) with a manifest of media "
        "files and the SHA-256 fingerprints of the encryption keys in force (never the keys)."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--to", type=Path, help="Folder to write the backup into.")
        where.add_argument(
            "--to-storage",
            action="store_true",
            help="Write the backup under backups/ in the configured media storage.",
        )

    def handle(self, *args, **options):
        try:
            location, manifest = backup_create(
                destination=options["to"], to_storage=options["to_storage"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {location}")
        self.stdout.write(
            f"  {manifest['encrypted_values']} encrypted values, {len(manifest['media'])} media "
            "files"
        )
        for key in manifest["keys"]:
            self.stdout.write(
                f"  key {key['position'] + 1}: fingerprint {short(key['fingerprint'])}… opened "
                f"{key['values']} values"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Done. Keep the escrowed keys with these fingerprints: this backup cannot be "
                "read without them."
            )
        )
