"""``learning.selectors.administered_organisation``: the organisation an admin page names by
its slug, read by one prepared query. It answers exactly what ``organisations_administered_by``
answers for that slug: an active admin membership today, nothing for any other role, a
membership that has ended or not yet started, someone deactivated or another organisation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import Role
from learning.selectors import administered_organisation, organisations_administered_by

from .factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def _agree(user, slug):
    found = administered_organisation(user, slug)
    expected = organisations_administered_by(user).filter(slug=slug).first()
    assert found == expected
    return found


@time_machine.travel("2026-06-15 10:00:00+01:00", tick=False)
def test_an_admin_gets_their_organisation_in_one_query():
    membership = MembershipFactory(role=Role.ORG_ADMIN)
    administered_organisation(membership.user, membership.organisation.slug)  # built once
    with CaptureQueriesContext(connection) as queries:
        found = administered_organisation(membership.user, membership.organisation.slug)
    assert found == membership.organisation
    assert len(queries) == 1
    assert _agree(membership.user, membership.organisation.slug) == found


@time_machine.travel("2026-06-15 10:00:00+01:00", tick=False)
def test_no_one_else_gets_it():
    organisation = OrganisationFactory()
    other = OrganisationFactory()
    supervisor = MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user
    ended = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN, ended_on=TODAY).user
    starting = MembershipFactory(
        organisation=organisation, role=Role.ORG_ADMIN, started_on=TODAY + timedelta(days=1)
    ).user
    deactivated = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    elsewhere = MembershipFactory(organisation=other, role=Role.ORG_ADMIN).user
    for user in (supervisor, ended, starting, deactivated, elsewhere):
        assert _agree(user, organisation.slug) is None
    assert _agree(elsewhere, "no-such-organisation") is None


def test_the_day_is_read_on_each_call_not_when_the_query_was_built():
    membership = MembershipFactory(
        role=Role.ORG_ADMIN, started_on=TODAY, ended_on=TODAY + timedelta(days=1)
    )
    slug = membership.organisation.slug
    with time_machine.travel("2026-06-14 10:00:00+01:00", tick=False):
        assert _agree(membership.user, slug) is None
    with time_machine.travel("2026-06-15 10:00:00+01:00", tick=False):
        assert _agree(membership.user, slug) == membership.organisation
    with time_machine.travel("2026-06-16 10:00:00+01:00", tick=False):
        assert _agree(membership.user, slug) is None
