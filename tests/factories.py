"""factory_boy factories. Tests build their own data; they never rely on the demo seed."""

from __future__ import annotations

import secrets
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site

from learning.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    ProfessionalRole,
    Region,
    Role,
    User,
)

from .data_builders import DataFactory, builds_test_data

PASSWORD = "a-long-test-passphrase-42"


class UserFactory(DataFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.nhs.uk")
    # Deterministic and HTML-neutral (a Faker name like "O'Connor" is escaped in pages).
    display_name = factory.Sequence(lambda n: f"Test Person {n:05d}")
    professional_role = ProfessionalRole.MIDWIFE
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(DataFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Maternal Mental Health Service {n}")
    slug = factory.Sequence(lambda n: f"test-org-{n}")
    kind = OrganisationKind.MMHS
    region = Region.LONDON
    safeguarding_route = "Call the safeguarding lead."


class MembershipFactory(DataFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PRACTITIONER


class InvitationFactory(DataFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.nhs.uk")
    role = Role.PRACTITIONER
    nonce = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


@builds_test_data
def add_to_group(user: User, name: str) -> User:
    group, _ = Group.objects.get_or_create(name=name)
    user.groups.add(group)
    return user


@builds_test_data
def ensure_wagtail_tree() -> Page:
    """Wagtail's root page, default locale and root collection come from its migrations; a
    transactional (browser) test flushes them, so put them back when they are missing."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code="cy")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )
    return root


@builds_test_data
def make_home_page():
    """The landing page at ``/`` (what ``seed_demo`` makes, built directly here)."""
    from modules.models import HomePage

    home = HomePage.objects.first()
    if home is not None:
        return home
    root = ensure_wagtail_tree()
    for page in root.get_children().filter(slug="home"):
        page.delete()
    home = HomePage(
        title="Holding Hope",
        slug="home",
        lead="Learning, reflection and peer support.",
        intro="<p>For staff who support women separated from their babies at birth.</p>",
        sections=[("section", {"heading": "Who it is for", "text": "<p>Everyone.</p>"})],
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home
