"""A member starts a thread with a concerning passage: the safeguarding prompt, with their
organisation's route, appears before anything is posted, their text kept as typed; posting
again posts. axe-core clean."""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import expect

from community.models import Thread
from learning.models import Membership, Role
from reflection.journal.selectors import forget_safeguarding_phrases
from reflection.models import SafeguardingPhrase

from ..community_factories import SpaceFactory, member
from ..factories import OrganisationFactory
from .conftest import assert_accessible, visit
from .test_community_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_concerning_post_shows_the_safeguarding_route_before_posting(page, live_server):
    # The starting patterns, as the migration loads them (an earlier transactional test may
    # have emptied the table), and no list cached from before.
    starting = importlib.import_module("reflection.migrations.0008_safeguarding_patterns")
    SafeguardingPhrase.objects.bulk_create(
        [SafeguardingPhrase(phrase=p, window=w) for p, w in starting.CONCERN]
        + [
            SafeguardingPhrase(phrase=p, window=w, not_current=True)
            for p, w in starting.NOT_CURRENT
        ],
        ignore_conflicts=True,
    )
    forget_safeguarding_phrases()
    base = live_server.url
    space = SpaceFactory(name="Birth planning")
    writer = member(space).user
    organisation = OrganisationFactory(safeguarding_route="Ring the safeguarding hub on 4321.")
    Membership.objects.create(user=writer, organisation=organisation, role=Role.PRACTITIONER)

    sign_in(page, base, writer)
    visit(page, f"{base}/community/{space.slug}/new/")
    page.get_by_label("Title").fill("After a hard shift")
    concern = "I am worried she is not safe tonight\u2026 he would hurt her."
    page.get_by_label("Your post").fill(concern)
    page.get_by_role("button", name="Post thread").click()
    page.get_by_text("Your post is not sent yet.").wait_for()
    expect(page.get_by_text("Ring the safeguarding hub on 4321.")).to_be_visible()
    assert page.get_by_label("Your post").input_value() == concern
    assert not Thread.objects.exists()
    assert_accessible(page)
    page.get_by_role("button", name="Post thread").click()
    page.wait_for_url(f"**/community/{space.slug}/*/")
    assert Thread.objects.count() == 1
