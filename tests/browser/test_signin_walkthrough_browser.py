"""Work-account sign-in as people meet it, in chromium against the real test provider: the
platform admin links an organisation's email domain to its provider (work account sign-in only,
new people join as practitioners); someone from that domain signs in for the first time with no
password and lands on My home in that organisation; password sign-in and password resets at that
domain are refused with a message that says what to do instead. Every page of ours is checked
with axe. (Passkeys: tests/browser/test_signin_browser.py.)"""

from __future__ import annotations

import pytest
from django.core import mail

from learning.models import Membership, Organisation, OrganisationEmailDomain, Role
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID, configure, oidc_provider  # noqa: F401
from tests.oidc_provider.harness import PASSWORD as PROVIDER_PASSWORD

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in_with_password(page, base, email: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _admin_links_the_domain(page, base, organisation: Organisation) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    _sign_in_with_password(page, base, admin.email)
    page.wait_for_url("**/dashboard/")
    # Wagtail's own screens are not ours to make axe-clean, so plain goto here.
    page.goto(f"{base}/admin/organisations/edit/{organisation.pk}/")
    page.get_by_label("Work account provider").fill(PROVIDER_ID)
    page.get_by_label("People who sign in with their work account join as practitioners").check()
    page.get_by_role("button", name="Add email domain").click()
    page.locator("#id_email_domains-0-domain").fill(" @Council.GOV.test")
    page.locator("#id_email_domains-0-require_provider").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("updated").first.wait_for()  # Wagtail's "Organisation '…' updated."
    link = OrganisationEmailDomain.objects.get(organisation=organisation)
    assert (link.domain, link.require_provider) == ("council.gov.test", True)
    page.context.clear_cookies()  # the admin leaves; Dan comes to the same browser


def test_a_linked_domain_signs_new_people_in_and_refuses_passwords(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    settings,
):
    base = live_server.url
    configure(settings, oidc_provider)
    organisation = OrganisationFactory(name="Test Council", slug="test-council")
    _admin_links_the_domain(page, base, organisation)

    # Dan's first sign-in: no account here yet, no password.
    visit(page, f"{base}/accounts/login/")
    page.get_by_role("button", name="Sign in with your work account").click()
    page.wait_for_url("**/signin/work/")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # nothing typed: a clear error
    page.get_by_role("link", name="Enter your work email address").wait_for()
    assert_accessible(page)
    page.get_by_label("Work email address").fill("dan@council.gov.test")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{oidc_provider.origin}/login/**")
    page.get_by_label("Username").fill("dan")
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/dashboard/")
    assert_accessible(page)
    dan = Membership.objects.get(organisation=organisation).user
    assert dan.email == "dan@council.gov.test" and not dan.has_usable_password()
    assert Membership.objects.get(user=dan).role == Role.PRACTITIONER
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")

    # A password account at the same domain (made before the domain was linked) cannot use it.
    UserFactory(email="old@council.gov.test")
    _sign_in_with_password(page, base, "old@council.gov.test")
    page.get_by_text("asks you to sign in with your work account, not a password").first.wait_for()
    assert_accessible(page)
    assert "/accounts/login/" in page.url

    # Nor reset it: no email is sent, and the page says what to do instead.
    visit(page, f"{base}/accounts/password/reset/")
    page.get_by_label("Email").fill("old@council.gov.test")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_text("asks you to sign in with your work account, not a password").first.wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="sign in with your work account").click()
    page.wait_for_url("**/signin/work/")
    assert mail.outbox == []
