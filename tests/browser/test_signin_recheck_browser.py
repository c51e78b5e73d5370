"""The work-account re-check in chromium, against the real test provider: after the re-check
interval (shortened here by its setting) the session is confirmed with the provider silently
(prompt=none). While the provider session is live the person carries on where they were; once
it has ended they are signed out with a clear message, what they were writing is kept, and
signing in again brings it back."""

from __future__ import annotations

import time

import pytest

from learning.models import ProviderSession, Role
from reflection.models import JournalEntry
from tests.factories import MembershipFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID, configure, oidc_provider  # noqa: F401
from tests.oidc_provider.harness import PASSWORD as PROVIDER_PASSWORD
from tests.signin_factories import OrganisationEmailDomainFactory

from .conftest import assert_accessible, visit
from .test_signin_browser import _work_signin

pytestmark = [pytest.mark.django_db(transaction=True)]

RECHECK_SECONDS = 3


def _amy_signed_in(page, live_server, provider, settings):
    configure(settings, provider)
    link = OrganisationEmailDomainFactory(domain="trust.nhs.test")
    amy = UserFactory(email="amy@trust.nhs.test", display_name="Amy Adams")
    MembershipFactory(user=amy, organisation=link.organisation, role=Role.PRACTITIONER)
    _work_signin(page, live_server, provider, email="amy@trust.nhs.test", username="amy")
    page.wait_for_url("**/dashboard/")
    return amy


def _recheck_due(settings) -> None:
    """The re-check interval, shortened by its setting, runs out."""
    settings.HOPE_OIDC_RECHECK_HOURS = RECHECK_SECONDS / 3600
    time.sleep(RECHECK_SECONDS + 0.5)


def test_a_live_provider_session_carries_on_without_a_sign_in_page(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    settings,
):
    amy = _amy_signed_in(page, live_server, oidc_provider, settings)
    visit(page, f"{live_server.url}/journal/")
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    _recheck_due(settings)
    page.goto(f"{live_server.url}/journal/?recheck=1")
    page.wait_for_url(f"{live_server.url}/journal/?recheck=1")
    settings.HOPE_OIDC_RECHECK_HOURS = 12  # confirmed: no second re-check while we look
    assert_accessible(page)
    # Through the provider and back, and no sign-in or consent page on the way.
    assert any(url.startswith(oidc_provider.origin) and "prompt=none" in url for url in seen)
    assert not any(url.startswith(f"{oidc_provider.origin}/login/") for url in seen)
    assert page.get_by_role("heading", name="My journal").count() == 1
    assert page.get_by_role("button", name="Sign out").count() == 1
    assert page.get_by_text("Successfully signed in").count() == 0  # nothing to say
    # A fresh confirmation, in a new session of ours.
    assert ProviderSession.objects.filter(user=amy, provider_id=PROVIDER_ID).count() == 2


def test_an_ended_provider_session_signs_out_with_a_message_and_keeps_the_writing(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    settings,
):
    _amy_signed_in(page, live_server, oidc_provider, settings)
    visit(page, f"{live_server.url}/journal/new/?model=free")
    page.get_by_label("Title").fill("Handover")
    page.get_by_label("Your reflection").fill("What I noticed on the ward today.")
    # Her session at the provider ends (her work account was removed, or it timed out there).
    page.context.clear_cookies(name="provider_session")
    _recheck_due(settings)
    page.get_by_role("button", name="Save reflection").click()
    page.wait_for_url("**/signin/work/**")
    settings.HOPE_OIDC_RECHECK_HOURS = 12
    page.get_by_text("your work account session has ended").wait_for()
    assert page.get_by_text("We kept what you were writing").count() == 1
    assert_accessible(page)
    assert not JournalEntry.objects.exists()

    # Signing in again (the provider asks this time) brings back what she wrote.
    page.get_by_label("Work email address").fill("amy@trust.nhs.test")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{oidc_provider.origin}/login/**")
    page.get_by_label("Username").fill("amy")
    page.get_by_label("Password", exact=True).fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("**/journal/new/**")
    assert page.get_by_label("Your reflection").input_value() == "What I noticed on the ward today."
    assert page.get_by_label("Title").input_value() == "Handover"
    assert_accessible(page)
