"""A practitioner writes a Gibbs reflection, is warned about an NHS number in it, edits it out
and saves; a concerning passage shows the safeguarding route before saving. Axe-core clean on
every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learning.models import Role
from reflection.models import JournalEntry

from ..factories import PASSWORD, MembershipFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

NHS_NUMBER = "943 476 5919"


def test_practitioner_writes_a_gibbs_reflection(page, live_server):
    base = live_server.url
    user = MembershipFactory(role=Role.PRACTITIONER).user

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")

    page.get_by_role("link", name="My journal", exact=True).first.click()
    page.wait_for_url("**/journal/")
    assert_accessible(page)
    page.get_by_role("button", name="Write a reflection").click()
    page.get_by_label("Gibbs' reflective cycle").wait_for()
    assert_accessible(page)
    page.get_by_label("Gibbs' reflective cycle").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)

    page.get_by_label("Title").fill("After the hearing")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Tags (optional)").fill("court, grief")
    page.get_by_label("Description").fill(f"Her NHS number {NHS_NUMBER} was on the letter.")
    page.get_by_label("Feelings").fill("I felt helpless, then steadier.")
    page.get_by_role("button", name="Save reflection").click()

    # Warned, with the number highlighted and the text kept.
    page.get_by_text("Check these details before you save").wait_for()
    assert page.locator("mark.hope-identifier").first.inner_text().startswith(NHS_NUMBER)
    assert NHS_NUMBER in page.get_by_label("Description").input_value()
    assert_accessible(page)
    assert not JournalEntry.objects.exists()

    page.get_by_label("Description").fill("The letter had her details on it; I noticed.")
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Your reflection is saved. Only you can read it.").wait_for()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="After the hearing")).to_be_visible()
    assert "I felt helpless, then steadier." in page.content()
    entry = JournalEntry.objects.get()
    assert entry.identifier_check_confirmed_at is None
    assert NHS_NUMBER not in entry.body_json

    # The date is three boxes, kept as typed when something is wrong.
    page.get_by_role("button", name="Edit this reflection").click()
    assert page.get_by_label("Day").input_value() == "10"
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("The date of the experience must be a real date").first.wait_for()
    assert page.get_by_label("Day").input_value() == "31"
    assert_accessible(page)
    page.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Your changes are saved.").wait_for()

    # Deleting asks first, and says it cannot be undone.
    page.get_by_role("link", name="Delete this reflection").click()
    page.get_by_role("heading", name="Delete this reflection?").wait_for()
    assert "cannot be undone" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, delete it").click()
    page.get_by_text("The reflection has been deleted.").wait_for()
    assert not JournalEntry.objects.exists()


def test_a_concerning_passage_shows_the_safeguarding_route_before_saving(page, live_server):
    """The review's probe, typed into the journal: the prompt and the organisation's route
    appear on the form before anything is saved; saving again saves."""
    import importlib

    from reflection.models import SafeguardingPhrase

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
    membership = MembershipFactory(role=Role.PRACTITIONER)
    membership.organisation.safeguarding_route = (
        "Ring the duty safeguarding lead on extension 4321."
    )
    membership.organisation.save()
    user = membership.user

    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    visit(page, f"{live_server.url}/journal/new/?model=gibbs")
    page.get_by_label("Title").fill("A late visit")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    concern = "I am worried she is not safe tonight\u2026 he would hurt her."
    page.get_by_label("Feelings").fill(concern)
    page.get_by_role("button", name="Save reflection").click()

    page.get_by_role("heading", name="If someone may be at risk now").wait_for()
    expect(page.get_by_text("Your reflection is not saved yet.")).to_be_visible()
    expect(page.get_by_text("Ring the duty safeguarding lead on extension 4321.")).to_be_visible()
    assert page.get_by_label("Feelings").input_value() == concern
    assert not JournalEntry.objects.exists()
    assert_accessible(page)

    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Your reflection is saved. Only you can read it.").wait_for()
    assert JournalEntry.objects.filter(author=user).count() == 1
    assert not page.get_by_role("heading", name="If someone may be at risk now").count()
    assert_accessible(page)
