"""Demo content for the modules app, run by ``manage.py seed_demo``."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from modules.models import HomePage

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


@transaction.atomic
def seed_landing_page(stdout=None) -> HomePage:
    """Make sure ``/`` is the Holding Hope landing page (idempotent)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title=LANDING["title"],
            slug="home",
            lead=LANDING["lead"],
            intro=LANDING["intro"],
            sections=[("section", {"heading": h, "text": t}) for h, t in LANDING["sections"]],
        )
        # Wagtail's welcome page holds the slug "home"; replace it.
        for page in root.get_children().filter(slug="home"):
            page.delete()
        root.add_child(instance=home)
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Holding Hope",
        },
    )
    return home
