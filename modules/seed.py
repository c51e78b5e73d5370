"""The landing page, installed by ``manage.py install_curriculum`` (and so by ``seed_demo``)."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from learning.seeding import InstallReport
from modules.install import Shipped, install_page
from modules.models import HomePage
from modules.pages.translation import SOURCE_LANGUAGE

LANDING = {
    "title": "Holding Hope",
    "lead": (
        "Learning, reflection and peer support for staff who care for women and birthing "
        "people separated from their baby at birth, or at risk of it, because of "
        "safeguarding concerns."
    ),
    "intro": (
        "<p>This work is some of the hardest in maternity, mental health and social care. "
        "Holding Hope brings together what helps practitioners do it well and stay well: "
        "short training grounded in research and lived experience, a private space to "
        "reflect, supervision that is recorded properly, and a community of colleagues doing "
        "the same work.</p>"
    ),
    "sections": [
        (
            "Who it is for",
            "<p>Maternal and perinatal mental health clinicians, midwives and neonatal staff, "
            "children's social care practitioners, and keyworkers in voluntary and community "
            "organisations, wherever they work in England.</p>",
        ),
        (
            "What you can do here",
            "<ul><li>Learn about trauma-informed care, family justice processes, "
            "information-sharing and HOPE Boxes.</li><li>Keep a private reflective journal "
            "that only you can read.</li><li>Record supervision with your supervisor.</li>"
            "<li>Learn with peers in spaces run by facilitators.</li></ul>",
        ),
        (
            "Your reflections stay yours",
            "<p>Your journal is private to you: not your manager, not your organisation, not "
            "the people who run this service can read it. You choose what to share with your "
            "supervisor, and only a summary is ever shared.</p>",
        ),
    ],
}


def _landing() -> HomePage:
    return HomePage(
        title=LANDING["title"],
        slug="home",
        lead=LANDING["lead"],
        intro=LANDING["intro"],
        sections=[("section", {"heading": h, "text": t}) for h, t in LANDING["sections"]],
    )


@transaction.atomic
def seed_landing_page(stdout=None, *, report: InstallReport | None = None) -> HomePage:
    """Make sure ``/`` is the Holding Hope landing page (idempotent; see ``modules.install``)."""
    root = Page.get_first_root_node()
    existing = HomePage.objects.filter(locale__language_code=SOURCE_LANGUAGE).first()
    if existing is None:
        # Wagtail's welcome page holds the slug "home"; replace it.
        for page in root.get_children().filter(slug="home"):
            page.delete()
    home = install_page(
        report if report is not None else InstallReport(),
        parent=root,
        shipped=Shipped(
            key="landing",
            label="The landing page",
            source=LANDING,
            build=_landing,
            fields=("title", "lead", "intro", "sections"),
        ),
        existing=existing,
    )
    home = home or HomePage.objects.get(locale__language_code=SOURCE_LANGUAGE)
    # The default site serves the landing page; a host name set since is kept.
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Holding Hope",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or "Holding Hope"
        site.save(update_fields=["root_page", "site_name"])
    return home


def install_landing_step(report: InstallReport) -> None:
    """Install step ``modules.landing``."""
    seed_landing_page(report=report)
