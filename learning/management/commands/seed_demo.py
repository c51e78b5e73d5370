"""Create the demo organisations, people and content. Idempotent; refuses production settings.

Quiet by default: the steps' progress, Wagtail's and Celery's log lines and the emails the
services send (the console email backend would print each one in full) are kept out of the
output, which ends with the demo sign-ins. ``-v 2`` shows all of it."""

import io
import logging
import os
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from learning.demo import ORGANISATIONS, demo_email, print_sign_ins, seed_people
from learning.seeding import seed_steps

# Where the demo's emails go while seeding quietly: nowhere (they are about demo people).
QUIET_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


@contextmanager
def _quietly(quiet: bool):
    """Nothing but warnings in the log, and emails kept off the console, while seeding."""
    if not quiet:
        yield
        return
    logging.disable(logging.INFO)
    try:
        with override_settings(EMAIL_BACKEND=QUIET_EMAIL_BACKEND):
            yield
    finally:
        logging.disable(logging.NOTSET)


FIRST = ORGANISATIONS[0]
DEMO_BOOTSTRAP = (
    *("--organisation", FIRST["name"], "--slug", FIRST["slug"]),
    *("--kind", FIRST["kind"], "--region", FIRST["region"]),
    *("--safeguarding-route", FIRST["safeguarding_route"]),
    *("--admin-email", demo_email("orgadmin"), "--reviewer-email", demo_email("admin")),
)


class Command(BaseCommand):
    help = "Load the fictional demo data (safe to run again; never with production settings)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print sign-ins.")

    def handle(self, *args, **options):
        # Settings overridden at run time (a test's) keep no module name: read the environment's.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production") or not (settings.DEBUG or "test" in module):
            raise CommandError(
                "seed_demo refuses to run with production settings: it creates accounts with a "
                "published password. Use learning.settings.dev on a development machine."
            )
        verbose = options["verbosity"] >= 2
        progress = self.stdout if verbose else io.StringIO()
        started = time.monotonic()
        self.stdout.write("Loading the demo data…")
        with _quietly(not verbose):
            progress.write("Seeding demo people and organisations…\n")
            seed_people(stdout=progress)
            # The shipped content and the first organisation, as a production site gets them.
            call_command("install_curriculum", stdout=progress)
            call_command("bootstrap", *DEMO_BOOTSTRAP, stdout=progress)
            for step in seed_steps():
                progress.write(f"Seeding {step.name}…\n")
                step.run(stdout=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is ready ({time.monotonic() - started:.0f} s).")
        )
        if not options["quiet_sign_ins"]:
            print_sign_ins(self.stdout)
