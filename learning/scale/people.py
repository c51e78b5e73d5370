"""Organisations, people, their memberships and verified email addresses."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from learning.models import Membership, Organisation, OrganisationKind, ProfessionalRole, Region
from learning.scale.copy import max_id
from learning.scale.plan import BENCH_PASSWORD, ORG0_MEMBERS, Context

FIRST = [
    "Alex",
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ellie",
    "Femi",
    "Grace",
    "Hana",
    "Isla",
    "Jon",
    "Kemi",
    "Leah",
    "Mo",
    "Nia",
    "Omar",
    "Priya",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vik",
    "Wen",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Adams",
    "Begum",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Reid",
    "Shah",
    "Turner",
    "Walsh",
    "Young",
]
PERSONA_NAMES = ("Pat Practitioner", "Sol Supervisor", "Ola Orgadmin", "Fay Facilitator")
ORG_NAMES = ("Maternal Mental Health Service", "Maternity Unit", "Children's Social Care")
PROFESSIONS = [
    r.value for r in ProfessionalRole if r not in (ProfessionalRole.MANAGER, ProfessionalRole.OTHER)
]
REGIONS = [r.value for r in Region if r != Region.NATIONAL]
KINDS = [k.value for k in OrganisationKind if k != OrganisationKind.NATIONAL]


def org_slug(o: int) -> str:
    return f"bench-org-{o:04d}"


def seed_people(ctx: Context) -> None:
    writer, counts = ctx.writer, ctx.counts
    ctx.org_base = max_id(Organisation)
    ctx.user_base = max_id(ctx.user_model)
    ctx.password_hash = make_password(BENCH_PASSWORD)
    rng = ctx.rng("people")

    ctx.progress.begin("organisations", counts.organisations)
    writer.write(
        Organisation,
        [
            "id",
            "name",
            "slug",
            "kind",
            "region",
            "safeguarding_route",
            "created_at",
            "signin_provider",
            "join_on_provider_signin",
        ],
        (
            (
                ctx.org_id(o),
                f"Bench {ORG_NAMES[o % len(ORG_NAMES)]} {o:04d}",
                org_slug(o),
                KINDS[o % len(KINDS)],
                REGIONS[o % len(REGIONS)],
                "Speak to the duty safeguarding lead the same day, and record the concern.",
                ctx.ago(400),
                "",
                False,
            )
            for o in range(counts.organisations)
        ),
    )
    ctx.progress.advance(counts.organisations)
    ctx.progress.end()

    ctx.progress.begin("people", counts.users)
    joined = ctx.ago(365)
    users = []
    for k in range(counts.users):
        if k < len(PERSONA_NAMES):
            name = PERSONA_NAMES[k]
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        role = ctx.role_of(k)
        profession = "manager" if role == "org_admin" else rng.choice(PROFESSIONS)
        users.append((ctx.user_id(k), ctx.email(k), name, profession))
        ctx.names.append(name)
    writer.write(
        ctx.user_model,
        [
            "id",
            "password",
            "is_superuser",
            "email",
            "display_name",
            "professional_role",
            "is_staff",
            "is_active",
            "date_joined",
            "email_notifications",
            "always_show_content_notes",
        ],
        (
            (uid, ctx.password_hash, False, email, name, prof, False, True, joined, "daily", False)
            for uid, email, name, prof in users
        ),
    )
    ctx.progress.advance(counts.users)
    email_base, membership_base = max_id(EmailAddress), max_id(Membership)
    writer.write(
        EmailAddress,
        ["id", "user_id", "email", "verified", "primary"],
        (
            (email_base + i, uid, email, True, True)
            for i, (uid, email, _n, _p) in enumerate(users, start=1)
        ),
    )
    started = ctx.today - datetime.timedelta(days=365)
    writer.write(
        Membership,
        ["id", "user_id", "organisation_id", "role", "started_on", "ended_on", "created_at"],
        (
            (
                membership_base + k + 1,
                ctx.user_id(k),
                ctx.org_id(ctx.org_of(k)),
                ctx.role_of(k),
                started,
                None,
                joined,
            )
            for k in range(counts.users)
        ),
    )
    ctx.progress.end()
    ctx.bench["org_slug"] = org_slug(0)
    ctx.bench["org0_members"] = ORG0_MEMBERS
