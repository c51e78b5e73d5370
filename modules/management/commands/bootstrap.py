"""Set up a new site's first organisation, organisation admin and content reviewer."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from learning.models import OrganisationKind, Region
from modules.bootstrap import FirstOrganisation, site_bootstrap


class Command(BaseCommand):
    help = (
        "Create the first organisation with its safeguarding route, invite its first "
        "organisation admin by email, and name the first content reviewer (safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's name.")
        parser.add_argument(
            "--slug", default="", help="Short name for links (default: made from the name)."
        )
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)
        parser.add_argument("--region", required=True, choices=Region.values)
        parser.add_argument(
            "--safeguarding-route",
            required=True,
            help="How staff raise a current safeguarding concern: who to contact and how.",
        )
        parser.add_argument(
            "--admin-email", required=True, help="The first organisation admin (invited)."
        )
        parser.add_argument(
            "--reviewer-email",
            required=True,
            help="The first content reviewer (an account is made if there is none).",
        )
        parser.add_argument("--reviewer-name", default="", help="The reviewer's display name.")

    def handle(self, *args, **options):
        name = options["organisation"].strip()
        if not name:
            raise CommandError("Give the organisation's name with --organisation.")
        try:
            report = site_bootstrap(
                organisation=FirstOrganisation(
                    slug=options["slug"].strip() or slugify(name),
                    name=name,
                    kind=options["kind"],
                    region=options["region"],
                    safeguarding_route=options["safeguarding_route"],
                ),
                admin_email=options["admin_email"],
                reviewer_email=options["reviewer_email"],
                reviewer_name=options["reviewer_name"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("The site is ready for its first people."))
