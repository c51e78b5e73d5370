"""Factories for work-account sign-in: organisation email domains and provider sessions."""

from __future__ import annotations

import factory

from learning.models import OrganisationEmailDomain, ProviderSession

from .factories import OrganisationFactory, UserFactory


class OrganisationEmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationEmailDomain

    organisation = factory.SubFactory(OrganisationFactory, signin_provider="testwork")
    domain = factory.Sequence(lambda n: f"trust{n}.nhs.test")
    require_provider = False


class ProviderSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderSession

    user = factory.SubFactory(UserFactory)
    provider_id = "testwork"
    subject = factory.Sequence(lambda n: f"subject-{n}")
    sid = factory.Sequence(lambda n: f"sid-{n}")
    session_key = ""
