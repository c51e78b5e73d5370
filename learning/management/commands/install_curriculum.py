"""Install or update the shipped content: the landing page, the module catalogue, the modules
and their lessons, topics and audiences, the community's starter spaces, and a check of the
safeguarding phrases and supervision themes. Never creates people. Safe to run again, and
allowed with production settings: a page someone has changed since it was installed is never
overwritten; the shipped change goes to the review workflow instead."""

from django.core.management.base import BaseCommand

from learning.seeding import InstallReport, install_steps

SECTIONS = (
    ("created", "Created and published"),
    ("updated", "Updated and published (nobody had changed them since they were installed)"),
    (
        "submitted",
        "Changed by an editor since they were installed, so left as they are: the shipped "
        "version is a new revision, submitted for review",
    ),
)


class Command(BaseCommand):
    help = (
        "Install the shipped curriculum and starter content (safe to run again; a page an "
        "editor has changed is submitted for review, never overwritten)."
    )

    def handle(self, *args, **options):
        report = InstallReport()
        for step in install_steps():
            self.stdout.write(f"Installing {step.name}…")
            step.run(report)
        self.stdout.write("")
        for attribute, heading in SECTIONS:
            items = getattr(report, attribute)
            if items:
                self.stdout.write(f"{heading} ({len(items)}):")
                for item in items:
                    self.stdout.write(f"  - {item}")
        if report.unchanged:
            self.stdout.write(f"Already up to date: {len(report.unchanged)}.")
        for note in report.notes:
            self.stdout.write(note)
        if report.submitted:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.submitted)} page(s) wait for a content reviewer in the Wagtail "
                    "admin (Dashboard, “Awaiting your review”)."
                )
            )
        self.stdout.write(self.style.SUCCESS("The curriculum is installed."))
