"""The core's scale steps and benchmark pages, registered from ``LearningConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from learning.scale.plan import Context
from learning.scale.registry import (
    FOREIGN_KEYS_DROPPED,
    register_scale_page,
    register_scale_step,
    register_scale_tables,
    scale_tables,
)


def drop_foreign_keys(ctx: Context) -> None:
    """Every registered big table loads without per-row foreign-key checks (PostgreSQL)."""
    ctx.writer.drop_foreign_keys(scale_tables())


def _people_tables():
    from allauth.account.models import EmailAddress

    from learning.models import Membership

    return [EmailAddress, Membership]


def register() -> None:
    from learning.scale.people import seed_people

    register_scale_tables("learning", _people_tables)
    register_scale_step("learning.foreign_keys", drop_foreign_keys, order=FOREIGN_KEYS_DROPPED)
    register_scale_step("learning.people", seed_people, order=20, bench_keys=("org_slug",))
    register_scale_page(
        "dashboard", lambda bench: reverse("dashboard"), persona="practitioner", order=50
    )
    register_scale_page(
        "org_report",
        lambda bench: reverse("report_organisation", args=[bench["org_slug"]]),
        persona="org_admin",
        order=120,
    )
