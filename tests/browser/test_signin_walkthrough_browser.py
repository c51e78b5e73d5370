"""Work-account sign-in as people first meet it, in chromium against the real test provider
(tests/oidc_provider/): an organisation's email domain is linked to its provider, with work
account sign-in only and new people joining as practitioners. Someone from that domain signs in
for the first time with no password and lands on My home in that organisation; a password
account at that domain can neither sign in with its password nor reset it, and is told what to
do instead; at another linked domain, an existing password account is linked to the work
account only once its email address is confirmed. Every page of ours is checked with axe.

The machine running the tests may be busy: every wait is Playwright's ``expect`` (which
retries until the condition holds) with a generous bound, and nothing sleeps."""

from __future__ import annotations

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from playwright.sync_api import expect

from learning.models import AuditEvent, Membership, Role
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID, configure, oidc_provider  # noqa: F401
from tests.oidc_provider.harness import PASSWORD as PROVIDER_PASSWORD
from tests.signin_factories import OrganisationEmailDomainFactory

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

# Each step waits up to this long (milliseconds): ample on a loaded machine, still bounded.
PATIENCE = 60_000
REFUSED = "asks you to sign in with your work account, not a password"


def _url(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _password_signin(page, base: str, email: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _work_signin(page, base: str, provider, *, email: str, username: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_role("button", name="Sign in with your work account").click()
    expect(page).to_have_url(_url(r"/signin/work/"), timeout=PATIENCE)
    assert_accessible(page)
    page.get_by_label("Work email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(_url(re.escape(provider.origin) + r"/login/"), timeout=PATIENCE)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    authorize = page.get_by_role("button", name="Authorize")  # the provider's consent page
    expect(authorize).to_be_visible(timeout=PATIENCE)
    authorize.click()
    expect(page).to_have_url(_url(re.escape(base) + "/"), timeout=PATIENCE)


def _sign_out(page, base: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base}/", timeout=PATIENCE)
    # The provider's own session goes too: the next person signs in there afresh.
    page.context.clear_cookies()


def test_first_use_of_a_linked_domain(page, live_server, oidc_provider, settings):  # noqa: F811
    page.set_default_timeout(PATIENCE)
    page.set_default_navigation_timeout(PATIENCE)
    base = live_server.url
    settings.HOPE_BASE_URL = base  # the address the emails link to
    configure(settings, oidc_provider)
    council = OrganisationFactory(
        name="Test Council", signin_provider=PROVIDER_ID, join_on_provider_signin=True
    )
    OrganisationEmailDomainFactory(
        organisation=council, domain="council.gov.test", require_provider=True
    )
    trust = OrganisationFactory(name="Test Trust", signin_provider=PROVIDER_ID)
    OrganisationEmailDomainFactory(organisation=trust, domain="trust.nhs.test")

    # Dan's first sign-in: no account here yet, no password. An empty address is a clear error.
    visit(page, f"{base}/signin/work/")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Enter your work email address")).to_be_visible(
        timeout=PATIENCE
    )
    assert_accessible(page)
    _work_signin(page, base, oidc_provider, email="dan@council.gov.test", username="dan")
    expect(page).to_have_url(f"{base}/dashboard/", timeout=PATIENCE)
    expect(page.get_by_role("heading", name="My home")).to_be_visible(timeout=PATIENCE)
    expect(page.get_by_text("Test Council", exact=True)).to_be_visible(timeout=PATIENCE)
    assert_accessible(page)
    dan = SocialAccount.objects.get(provider=PROVIDER_ID).user
    assert dan.email == "dan@council.gov.test" and not dan.has_usable_password()
    assert Membership.objects.get(user=dan).organisation == council
    assert Membership.objects.get(user=dan).role == Role.PRACTITIONER
    _sign_out(page, base)

    # A password account at the same domain (made before the domain was linked) cannot use it.
    UserFactory(email="old@council.gov.test")
    _password_signin(page, base, "old@council.gov.test")
    expect(page.get_by_text(REFUSED).first).to_be_visible(timeout=PATIENCE)
    expect(page).to_have_url(_url(r"/accounts/login/"), timeout=PATIENCE)
    assert_accessible(page)

    # Nor reset it: no email is sent, and the page says what to do instead.
    visit(page, f"{base}/accounts/password/reset/")
    page.get_by_label("Email").fill("old@council.gov.test")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text(REFUSED).first).to_be_visible(timeout=PATIENCE)
    assert_accessible(page)
    page.get_by_role("link", name="sign in with your work account", exact=True).click()
    expect(page).to_have_url(_url(r"/signin/work/"), timeout=PATIENCE)
    assert mail.outbox == []

    # Ben has a password account whose address was never confirmed: his work account is not
    # linked to it.
    ben = UserFactory(email="ben@trust.nhs.test", verified=False)
    _work_signin(page, base, oidc_provider, email="ben@trust.nhs.test", username="ben")
    expect(
        page.get_by_role("heading", name="You cannot sign in with your work account yet")
    ).to_be_visible(timeout=PATIENCE)
    assert_accessible(page)
    assert not SocialAccount.objects.filter(user=ben).exists()
    page.context.clear_cookies()

    # He signs in with his password and confirms his address from the email.
    _password_signin(page, base, "ben@trust.nhs.test")
    expect(page).to_have_url(_url(r"/accounts/confirm-email/$"), timeout=PATIENCE)
    assert_accessible(page)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    visit(page, link)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(_url(r"/dashboard/|/account/details/"), timeout=PATIENCE)
    _sign_out(page, base)

    # Now his work account signs him in to the same account, and the link is audited.
    _work_signin(page, base, oidc_provider, email="ben@trust.nhs.test", username="ben")
    expect(page).to_have_url(_url(r"/dashboard/|/account/details/"), timeout=PATIENCE)
    assert_accessible(page)
    assert SocialAccount.objects.get(provider=PROVIDER_ID, user__email=ben.email).user == ben
    assert AuditEvent.objects.filter(action="auth.provider_link", actor=ben).exists()
    assert AuditEvent.objects.filter(action="auth.provider_signin", actor=ben).exists()
