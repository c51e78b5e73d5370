"""The demo supervision seed step: an accepted clinical relationship, a confirmed agreement,
one locked session with an open action and a next date, within frequency; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from learning.models import Role
from learning.seeding import seed_steps
from reflection.supervision.models import SupervisionRelationship, SupervisionTheme
from reflection.supervision.seed import PRACTITIONER, SUPERVISOR, seed_demo_supervision
from reflection.supervision.selectors import active_supervisors_of, open_actions_for
from reflection.supervision.selectors_org import supervision_frequency_by_member

from .factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_seed_step_is_registered_after_the_journal_steps():
    step = next(s for s in seed_steps() if s.name == "reflection.demo_supervision")
    assert step.order > 60


def test_seed_demo_supervision_is_lived_in_and_idempotent(django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    supervisee = MembershipFactory(
        organisation=org, role=Role.PRACTITIONER, user__email=PRACTITIONER
    ).user
    supervisor = MembershipFactory(
        organisation=org, role=Role.SUPERVISOR, user__email=SUPERVISOR
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo_supervision()
        seed_demo_supervision()
    rel = SupervisionRelationship.objects.get()
    assert (rel.kind, rel.status, rel.frequency_min_weeks, rel.frequency_max_weeks) == (
        "clinical",
        "active",
        4,
        6,
    )
    assert rel.supervisee_agreed_at and rel.supervisor_agreed_at
    session = rel.sessions.get()
    assert session.is_locked and session.next_on > timezone.localdate()
    assert [t.name for t in session.themes.order_by("name")] == [
        "Care proceedings",
        "Vicarious trauma",
    ]
    assert len(open_actions_for(supervisee)) == 1
    assert list(active_supervisors_of(supervisee)) == [supervisor]
    rows = {r.user_id: r for r in supervision_frequency_by_member(org, today=timezone.localdate())}
    assert rows[supervisee.pk].status == "within"


def test_editors_keep_the_themes_in_the_wagtail_admin(client, people):
    url = "/admin/snippets/reflection/supervisiontheme/"
    client.force_login(people["editor"])
    body = client.get(url).content.decode()
    assert "HOPE Boxes" in body and "Moral injury" in body
    response = client.post(
        "/admin/snippets/reflection/supervisiontheme/add/",
        {"name": "Court reports", "order": "5", "active": "on"},
    )
    assert response.status_code == 302
    assert SupervisionTheme.objects.get(name="Court reports").active
    client.force_login(people["practitioner"])
    assert client.get(url).status_code == 302  # not for anyone else
