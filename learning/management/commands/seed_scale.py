"""``manage.py seed_scale --scale N``: deterministic benchmark data (docs/seed_scale.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning.scale.runner import seed


def _scale(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0
    if not number > 0:
        raise CommandError(_("The scale must be a positive number, such as 1, 10 or 0.05."))
    return number


class Command(BaseCommand):
    help = (
        "Seed deterministic data at a scale (1 = 1,000 people, 100,000 progress rows, ...) for "
        "the benchmark, into a fresh database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, help="A positive number, e.g. 1 or 100.")
        parser.add_argument("--manifest", help="Write the benchmark's JSON manifest here.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the database holds other people (demo data).",
        )

    def handle(self, *args, **options):
        scale = _scale(options["scale"])
        data = seed(
            int(scale) if scale.is_integer() else scale,
            force=options["force"],
            manifest=options.get("manifest"),
            stream=self.stderr,
            quiet=options["verbosity"] == 0,
        )
        self.stdout.write(f"Seeded scale {data['scale']} in {data['seconds']} seconds.")
        if options.get("manifest"):
            self.stdout.write(f"Manifest: {options['manifest']}")
        self.stdout.write(f"Sign-ins (password for all: {data['password']}):")
        for persona, email in data["accounts"].items():
            self.stdout.write(f"  {persona:<13} {email}")
