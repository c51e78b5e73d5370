"""A supervisor writes a concerning passage in a supervision record: the safeguarding prompt,
with the organisation's route, appears on the form before anything is saved; saving again
saves. axe-core clean."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import Role
from reflection.models import SafeguardingPhrase
from reflection.supervision.models import SupervisionSession

from ..factories import MembershipFactory
from ..supervision_factories import make_relationship
from .conftest import assert_accessible, visit
from .test_supervision_browser import fill_date, sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_concerning_record_shows_the_safeguarding_route_before_saving(page, live_server):
    # The starting patterns, as the migration loads them (an earlier transactional test may
    # have emptied the table).
    starting = importlib.import_module("reflection.migrations.0008_safeguarding_patterns")
    SafeguardingPhrase.objects.bulk_create(
        [SafeguardingPhrase(phrase=p, window=w) for p, w in starting.CONCERN]
        + [
            SafeguardingPhrase(phrase=p, window=w, not_current=True)
            for p, w in starting.NOT_CURRENT
        ],
        ignore_conflicts=True,
    )
    base = live_server.url
    membership = MembershipFactory(role=Role.SUPERVISOR)
    membership.organisation.safeguarding_route = "Ring the duty safeguarding lead on 4321."
    membership.organisation.save()
    supervisor = membership.user
    supervisee = MembershipFactory(
        role=Role.PRACTITIONER, organisation=membership.organisation
    ).user
    rel = make_relationship(supervisee, supervisor)

    sign_in(page, base, supervisor)
    visit(page, f"{base}/supervision/new/?relationship={rel.pk}")
    fill_date(page, "held_on", timezone.localdate() - timedelta(days=1))
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_label("Restorative: support and wellbeing").check()
    concern = "I am worried she is not safe tonight\u2026 he would hurt her."
    page.get_by_label("Discussion summary").fill(concern)
    page.get_by_role("button", name="Save and send to confirm").click()
    page.get_by_text("Your record is not saved yet.").wait_for()
    expect(page.get_by_text("Ring the duty safeguarding lead on 4321.")).to_be_visible()
    assert page.get_by_label("Discussion summary").input_value() == concern
    assert not SupervisionSession.objects.exists()
    assert_accessible(page)
    page.get_by_role("button", name="Save and send to confirm").click()
    page.get_by_text("The record is saved and sent").wait_for()
    assert SupervisionSession.objects.count() == 1
