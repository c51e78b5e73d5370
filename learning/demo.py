"""Demo organisations and people (the README's "Demo accounts"). Fictional, idempotent."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from learning import permissions
from learning.models import Organisation, OrganisationKind, ProfessionalRole, Region, Role, User

DEMO_PASSWORD = "hope-demo-2026"  # noqa: S105  (documented demo password, refused in production)

ORGANISATIONS = [
    {
        "slug": "riverside-mmhs",
        "name": "Riverside Maternal Mental Health Service",
        "kind": OrganisationKind.MMHS,
        "region": Region.LONDON,
        "safeguarding_route": (
            "Speak to the duty safeguarding lead on 020 7946 0000 (09:00–17:00) or, out of "
            "hours, the on-call manager through switchboard. Record the concern in the "
            "patient record the same day."
        ),
    },
    {
        "slug": "northvale-childrens-services",
        "name": "Northvale Council Children's Social Care",
        "kind": OrganisationKind.CHILDRENS_SOCIAL_CARE,
        "region": Region.NORTH_WEST,
        "safeguarding_route": (
            "Contact the Northvale front door (multi-agency safeguarding hub) on "
            "0161 496 0000, and tell your team manager the same day."
        ),
    },
    {
        "slug": "harbour-womens-centre",
        "name": "Harbour Women's Centre",
        "kind": OrganisationKind.VCSE,
        "region": Region.SOUTH_WEST,
        "safeguarding_route": (
            "Tell the centre's designated safeguarding lead straight away, in person or on "
            "0117 496 0000. If a woman or child is in immediate danger, call 999."
        ),
    },
]

# More services, each with one practitioner who has done the training (no demo sign-in). With
# six maternal mental health services the national reports show a real figure for that kind
# beside the "<5" of the kinds with fewer (two of them, so that neither can be worked out from
# the total), as they will with real data.
# slug, name, kind, region, colleague's name
COLLEAGUE_ORGANISATIONS = [
    (
        "eastbrook-mmhs",
        "Eastbrook Maternal Mental Health Service",
        OrganisationKind.MMHS,
        Region.EAST,
        "Dana Eastbrook",
    ),
    (
        "millford-mmhs",
        "Millford Maternal Mental Health Service",
        OrganisationKind.MMHS,
        Region.MIDLANDS,
        "Ravi Millford",
    ),
    (
        "tynebank-mmhs",
        "Tynebank Maternal Mental Health Service",
        OrganisationKind.MMHS,
        Region.NORTH_EAST_YORKSHIRE,
        "Kerry Tynebank",
    ),
    (
        "downsmere-mmhs",
        "Downsmere Maternal Mental Health Service",
        OrganisationKind.MMHS,
        Region.SOUTH_EAST,
        "Owen Downsmere",
    ),
    (
        "lakeside-mmhs",
        "Lakeside Maternal Mental Health Service",
        OrganisationKind.MMHS,
        Region.NORTH_WEST,
        "Amira Lakeside",
    ),
    (
        "westgate-maternity",
        "Westgate Maternity Unit",
        OrganisationKind.MATERNITY,
        Region.SOUTH_WEST,
        "Fran Westgate",
    ),
    (
        "southmoor-childrens-services",
        "Southmoor Council Children's Social Care",
        OrganisationKind.CHILDRENS_SOCIAL_CARE,
        Region.MIDLANDS,
        "Lee Southmoor",
    ),
]

# email local part, name, professional role, [(org slug, role)], platform groups, superuser
PEOPLE = [
    (
        "practitioner",
        "Sam Practitioner",
        ProfessionalRole.SPECIALIST_MIDWIFE,
        [("riverside-mmhs", Role.PRACTITIONER)],
        [],
        False,
    ),
    (
        "supervisor",
        "Alex Supervisor",
        ProfessionalRole.CLINICAL_PSYCHOLOGIST,
        [("riverside-mmhs", Role.SUPERVISOR), ("riverside-mmhs", Role.PRACTITIONER)],
        [],
        False,
    ),
    (
        "facilitator",
        "Jo Facilitator",
        ProfessionalRole.KEYWORKER,
        [("harbour-womens-centre", Role.FACILITATOR), ("harbour-womens-centre", Role.PRACTITIONER)],
        [],
        False,
    ),
    (
        "orgadmin",
        "Priya Orgadmin",
        ProfessionalRole.MANAGER,
        [("riverside-mmhs", Role.ORG_ADMIN)],
        [],
        False,
    ),
    (
        "editor",
        "Chris Editor",
        ProfessionalRole.CLINICAL_PSYCHOLOGIST,
        [],
        [permissions.CONTENT_EDITORS],
        False,
    ),
    (
        "coordinator",
        "Morgan Coordinator",
        ProfessionalRole.MANAGER,
        [],
        [permissions.NATIONAL_COORDINATORS],
        False,
    ),
    ("admin", "Operations Admin", ProfessionalRole.OTHER, [], [], True),
]
DEMO_DOMAIN = "demo.holdinghope.test"


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def colleague_emails() -> list[str]:
    """The practitioners of the colleague organisations, who have done some training."""
    return [demo_email(f"colleague.{slug}") for slug, *_rest in COLLEAGUE_ORGANISATIONS]


@transaction.atomic
def seed_people(stdout=None) -> list[User]:
    from learning.services import group_membership_set, membership_create

    orgs = {}
    for data in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(slug=data["slug"], defaults=data)
        orgs[org.slug] = org
    people = []
    for local, name, prof, memberships, groups, superuser in PEOPLE:
        email = demo_email(local)
        user = User.objects.filter(email=email).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(email, DEMO_PASSWORD, display_name=name, professional_role=prof)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for slug, role in memberships:
            membership_create(
                actor=None, user=user, organisation=orgs[slug], role=role, check_permission=False
            )
        for group in groups:
            if not user.groups.filter(name=group).exists():
                group_membership_set(actor=None, user=user, group_name=group, member=True)
        people.append(user)
    for slug, name, kind, region, person in COLLEAGUE_ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "region": region}
        )
        email = demo_email(f"colleague.{slug}")
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(  # no password: not a demo sign-in
                email,
                None,
                display_name=person,
                professional_role=ProfessionalRole.SPECIALIST_MIDWIFE,
            )
        membership_create(
            actor=None, user=user, organisation=org, role=Role.PRACTITIONER, check_permission=False
        )
    return people


def print_sign_ins(stdout) -> None:
    stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):\n")
    for local, name, *_rest in PEOPLE:
        stdout.write(f"  {demo_email(local):<40} {name}\n")
