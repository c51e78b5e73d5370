"""Create the demo organisations, people and content. Idempotent; refuses production settings."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from learning.demo import ORGANISATIONS, demo_email, print_sign_ins, seed_people
from learning.seeding import seed_steps

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
        if settings.SETTINGS_MODULE.endswith(".production") or not (
            settings.DEBUG or "test" in settings.SETTINGS_MODULE
        ):
            raise CommandError(
                "seed_demo refuses to run with production settings: it creates accounts with a "
                "published password. Use learning.settings.dev on a development machine."
            )
        self.stdout.write("Seeding demo people and organisations…")
        seed_people(stdout=self.stdout)
        # The shipped content and the first organisation, as a production site gets them.
        call_command("install_curriculum", stdout=self.stdout)
        call_command("bootstrap", *DEMO_BOOTSTRAP, stdout=self.stdout)
        for step in seed_steps():
            self.stdout.write(f"Seeding {step.name}…")
            step.run(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        if not options["quiet_sign_ins"]:
            print_sign_ins(self.stdout)
