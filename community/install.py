"""Install step ``community.spaces``: the starter spaces of the community of practice, as
``manage.py install_curriculum`` puts them in place on a new site. Their names, descriptions,
membership policies and guidelines are those the demo uses; nobody is made a member or a
facilitator (an administrator names the facilitators in the Wagtail admin). A space already
there, by its slug, is left exactly as it is."""

from __future__ import annotations

from django.db import transaction

from community.models import PreModeration, Space
from community.seed import GUIDELINES, SPACES
from learning.seeding import InstallReport


@transaction.atomic
def install_starter_spaces(report: InstallReport) -> None:
    for data in SPACES:
        space, created = Space.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "membership_policy": data["membership_policy"],
                "guidelines": GUIDELINES,
                "premoderation": PreModeration.FIRST_POSTS,
                "premoderation_posts": 1,
                "flag_threshold": 3,
            },
        )
        label = f"Community space: {space.name}"
        (report.created if created else report.unchanged).append(label)
