"""The demo sign-off seed step: one reflection signed off, one waiting, and idempotent."""

from __future__ import annotations

import pytest

from learning.models import Role
from reflection.seed import PRACTITIONER, SUPERVISOR, seed_demo_signoff
from reflection.signoff.models import SignOffRequest

from .factories import MembershipFactory, OrganisationFactory
from .journal_factories import make_entry

pytestmark = pytest.mark.django_db


def test_seed_demo_signoff_makes_one_signed_and_one_waiting(django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    author = MembershipFactory(
        organisation=org, role=Role.PRACTITIONER, user__email=PRACTITIONER
    ).user
    MembershipFactory(organisation=org, role=Role.SUPERVISOR, user__email=SUPERVISOR)
    for n in range(3):
        make_entry(author, title=f"Reflection {n}", summary="<p>What I learned.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo_signoff()
        seed_demo_signoff()
    statuses = sorted(SignOffRequest.objects.values_list("status", flat=True))
    assert statuses == ["pending", "signed_off"]
    signed = SignOffRequest.objects.get(status="signed_off")
    assert signed.decided_at is not None
    assert len(signed.content_hash) == 64
