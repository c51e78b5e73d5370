"""Re-encrypt every encrypted field with the newest key in HOPE_FIELD_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from learning.adapters import reencrypt_two_factor_secrets
from learning.encryption import encrypted_fields, reencrypt_batch


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every model with the newest key. Put the new key "
        "first in HOPE_FIELD_ENCRYPTION_KEYS, run this, then remove the old key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows re-encrypted per transaction."
        )

    def handle(self, *args, **options):
        batch_size = max(1, options["batch_size"])
        total = 0
        for model, names in encrypted_fields():
            label = model._meta.label
            self.stdout.write(f"Re-encrypting {label} ({', '.join(names)})…")
            done, last_pk = 0, None
            while True:
                count, last_pk = reencrypt_batch(
                    model, names, after_pk=last_pk, batch_size=batch_size
                )
                if not count:
                    break
                done += count
                self.stdout.write(f"  {label}: {done} rows re-encrypted")
            total += done
        two_factor = reencrypt_two_factor_secrets()
        self.stdout.write(f"Re-encrypting two-factor secrets: {two_factor} authenticators")
        total += two_factor
        self.stdout.write(
            self.style.SUCCESS(f"Done: {total} rows re-encrypted with the newest key.")
        )
