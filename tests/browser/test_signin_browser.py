"""Signing in with a work account and with passkeys, in chromium, against the real test
OpenID Connect provider (tests/oidc_provider/, a second process on a loopback port): domain
routing, the provider's sign-in and consent, the callback, account linking and creation, the MFA
claim honoured only when trusted, a replayed callback refused, back-channel logout, front-channel
logout from the provider's sign-out page; passkeys
through chromium's virtual authenticator: add, sign in without a password, remove."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from learning.models import AuditEvent, Membership, ProviderSession, Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID, configure, oidc_provider  # noqa: F401
from tests.oidc_provider.harness import PASSWORD as PROVIDER_PASSWORD
from tests.signin_factories import OrganisationEmailDomainFactory

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

# What a step may wait for (milliseconds): ample on a busy machine, still bounded.
PATIENCE = 60_000


def _work_signin(page, live_server, provider, *, email: str, username: str) -> list[str]:
    """Sign in through the work account; returns the callback URLs the browser was sent to."""
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None)
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with your work account").click()
    page.wait_for_url("**/signin/work/")
    assert_accessible(page)
    page.get_by_label("Work email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{provider.origin}/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.get_by_role("button", name="Authorize").click()  # the provider's consent page
    page.wait_for_url(f"{live_server.url}/**")
    page.wait_for_load_state("load")
    return callbacks


@pytest.fixture
def trust(settings):
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = True
    return settings


def test_work_signin_links_the_verified_account_and_trusted_mfa_counts(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    trust,
):
    configure(trust, oidc_provider, trust_mfa=True)
    link = OrganisationEmailDomainFactory(domain="trust.nhs.test")
    amy = UserFactory(email="amy@trust.nhs.test", display_name="Amy Adams")
    MembershipFactory(user=amy, organisation=link.organisation, role=Role.ORG_ADMIN)
    _work_signin(page, live_server, oidc_provider, email="amy@trust.nhs.test", username="amy")
    # An organisation admin, with the provider's MFA trusted: straight to "My home".
    page.wait_for_url("**/dashboard/")
    assert_accessible(page)
    account = SocialAccount.objects.get(provider=PROVIDER_ID)
    assert account.user == amy
    assert AuditEvent.objects.filter(action="auth.provider_link", actor=amy).exists()
    assert AuditEvent.objects.filter(action="auth.provider_signin", actor=amy).exists()
    record = ProviderSession.objects.get(user=amy)
    assert record.mfa and record.sid == "sid-amy"

    # The members page says how she signs in.
    visit(page, f"{live_server.url}/organisations/{link.organisation.slug}/members/")
    assert "Password, Work account" in page.locator("[data-signin-methods]").first.inner_text()

    # The provider ends her session there: ours ends too.
    response = requests.post(
        f"{live_server.url}/signin/oidc/{PROVIDER_ID}/backchannel-logout/",
        data={"logout_token": oidc_provider.logout_token(sid="sid-amy", sub=account.uid)},
        timeout=10,
    )
    assert response.status_code == 200
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_url("**/accounts/login/**")


def test_the_mfa_claim_does_not_count_from_an_untrusted_provider(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    trust,
):
    configure(trust, oidc_provider, trust_mfa=False)
    link = OrganisationEmailDomainFactory(domain="trust.nhs.test")
    amy = UserFactory(email="amy@trust.nhs.test")
    MembershipFactory(user=amy, organisation=link.organisation, role=Role.ORG_ADMIN)
    _work_signin(page, live_server, oidc_provider, email="amy@trust.nhs.test", username="amy")
    # Sent to set up two-factor authentication (allauth confirms it is them first).
    page.get_by_text("Your role needs two-factor authentication").wait_for()
    assert "/accounts/2fa/totp/activate/" in unquote(page.url)
    assert not ProviderSession.objects.get(user=amy).mfa


def test_first_signin_creates_the_account_joins_and_a_replayed_callback_is_refused(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    settings,
):
    configure(settings, oidc_provider)
    organisation = OrganisationFactory(
        signin_provider=PROVIDER_ID, join_on_provider_signin=True, name="Test Council"
    )
    OrganisationEmailDomainFactory(organisation=organisation, domain="council.gov.test")
    callbacks = _work_signin(
        page, live_server, oidc_provider, email="dan@council.gov.test", username="dan"
    )
    page.wait_for_url("**/dashboard/")
    dan = SocialAccount.objects.get(provider=PROVIDER_ID).user
    assert dan.email == "dan@council.gov.test"
    assert dan.emailaddress_set.get().verified
    assert Membership.objects.get(user=dan, organisation=organisation).role == Role.PRACTITIONER

    # The same callback (code and state) again, in a fresh session: refused, nobody signed in.
    page.context.clear_cookies()
    page.goto(callbacks[-1])
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_url("**/accounts/login/**")
    assert ProviderSession.objects.filter(user=dan).count() == 1


def test_the_provider_s_sign_out_page_signs_people_out_here_through_its_frame(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    settings,
):
    """Front-channel logout, as Microsoft Entra ID does it: the provider's sign-out page loads
    our front-channel URL in a frame (with iss and sid), and our session ends."""
    configure(settings, oidc_provider)
    link = OrganisationEmailDomainFactory(domain="trust.nhs.test")
    amy = UserFactory(email="amy@trust.nhs.test")
    MembershipFactory(user=amy, organisation=link.organisation, role=Role.PRACTITIONER)
    _work_signin(page, live_server, oidc_provider, email="amy@trust.nhs.test", username="amy")
    page.wait_for_url("**/dashboard/")

    framed: list[str] = []
    page.on("request", lambda r: framed.append(r.url) if "frontchannel-logout" in r.url else None)
    page.goto(f"{oidc_provider.origin}/signout/")
    frame = page.frame_locator("iframe[title='Signing you out of an application']")
    frame.get_by_text("You are signed out of Holding Hope.").wait_for()
    assert_accessible(page)  # the provider's page, with our page in its frame
    assert framed and "sid=sid-amy" in framed[0] and "iss=" in framed[0]
    record = ProviderSession.objects.get(user=amy)
    assert record.ended_at is not None
    event = AuditEvent.objects.get(action="auth.provider_logout", target_id=str(record.pk))
    assert event.data["channel"] == "front"
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_url("**/accounts/login/**")


def test_an_unverified_account_is_never_linked(page, live_server, oidc_provider, settings):  # noqa: F811
    configure(settings, oidc_provider)
    OrganisationEmailDomainFactory(domain="trust.nhs.test")
    UserFactory(email="ben@trust.nhs.test", verified=False)
    _work_signin(page, live_server, oidc_provider, email="ben@trust.nhs.test", username="ben")
    page.get_by_role("heading", name="You cannot sign in with your work account yet").wait_for()
    assert_accessible(page)
    assert not SocialAccount.objects.exists()


# --- passkeys ------------------------------------------------------------------------------


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def _confirm_password_if_asked(page) -> None:
    """allauth asks for the password again before two-factor settings change."""
    if page.get_by_role("heading", name="Confirm it is you").is_visible():
        assert_accessible(page)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_load_state("load")


def _confirm_passkey_if_asked(page) -> None:
    """Signed in with a passkey, allauth confirms it is them with the passkey again."""
    if page.get_by_role("heading", name="Confirm it is you").is_visible():
        page.get_by_role("button", name="Use a security key").click()
        page.get_by_role("button", name="Use your passkey").wait_for()
        assert_accessible(page)
        page.get_by_role("button", name="Use your passkey").click()
        page.wait_for_url(lambda url: "reauthenticate" not in url)


def test_passkeys_add_sign_in_without_a_password_and_remove(page, live_server, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test server is plain http
    user = UserFactory()
    _virtual_authenticator(page)
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")

    visit(page, f"{live_server.url}/accounts/2fa/webauthn/add/")
    _confirm_password_if_asked(page)
    page.get_by_label("Name").fill("My laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add passkey").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert_accessible(page)
    passkey = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)

    page.context.clear_cookies()
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url("**/dashboard/")

    visit(page, f"{live_server.url}/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Remove My laptop").click()
    _confirm_passkey_if_asked(page)
    page.get_by_role("heading", name="Remove My laptop?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, remove it").click()
    page.wait_for_url("**/accounts/2fa/**")
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()


def test_a_passkey_meets_a_privileged_role_s_two_factor_requirement(page, live_server, trust):
    """An organisation admin without a second factor is sent to set one up; a passkey meets the
    requirement, is asked for after the password from then on, and signs them in on its own."""
    from playwright.sync_api import expect

    page.set_default_timeout(60_000)
    trust.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test server is plain http
    admin = MembershipFactory(role=Role.ORG_ADMIN).user
    _virtual_authenticator(page)

    def password_signin() -> None:
        visit(page, f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(admin.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()

    # Password alone is not enough for the role: every page sends them to set up a second step.
    password_signin()
    expect(page.get_by_text("Your role needs two-factor authentication")).to_be_visible(
        timeout=PATIENCE
    )
    page.goto(f"{live_server.url}/dashboard/")
    expect(page).to_have_url(re.compile(r"totp(/|%2F)activate"), timeout=PATIENCE)

    # A passkey instead of an authenticator app.
    visit(page, f"{live_server.url}/accounts/2fa/webauthn/add/")
    _confirm_password_if_asked(page)
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add passkey").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"), timeout=PATIENCE)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page).to_have_url(f"{live_server.url}/dashboard/", timeout=PATIENCE)
    expect(page.get_by_role("heading", name="My home")).to_be_visible(timeout=PATIENCE)

    # Next time, the password is followed by the passkey.
    page.context.clear_cookies()
    password_signin()
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible(timeout=PATIENCE)
    assert_accessible(page)
    page.get_by_role("button", name="Use your passkey").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/", timeout=PATIENCE)

    # And the passkey alone signs them in, with the requirement met.
    page.context.clear_cookies()
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/", timeout=PATIENCE)
    page.goto(
        f"{live_server.url}/organisations/{admin.memberships.get().organisation.slug}/members/"
    )
    expect(page.get_by_role("heading", name=re.compile("Members of"))).to_be_visible(
        timeout=PATIENCE
    )
    assert "Passkey" in page.locator("[data-signin-methods]").first.inner_text()


def test_a_person_removes_the_link_to_their_work_account(
    page,
    live_server,
    oidc_provider,  # noqa: F811
    settings,
):
    from playwright.sync_api import expect

    configure(settings, oidc_provider)
    OrganisationEmailDomainFactory(domain="trust.nhs.test")
    amy = UserFactory(email="amy@trust.nhs.test")
    _work_signin(page, live_server, oidc_provider, email="amy@trust.nhs.test", username="amy")
    expect(page).to_have_url(f"{live_server.url}/dashboard/", timeout=PATIENCE)
    account = SocialAccount.objects.get(user=amy)

    visit(page, f"{live_server.url}/accounts/email/")
    page.get_by_role("link", name="Work accounts").click()
    expect(page.get_by_role("heading", name="Work accounts")).to_be_visible(timeout=PATIENCE)
    assert_accessible(page)
    page.get_by_role("button", name="Remove the link").click()  # nothing chosen: a clear error
    expect(page.get_by_role("link", name="This field is required.")).to_be_visible(timeout=PATIENCE)
    assert_accessible(page)
    # Removing it: allauth asks for the password first (a sign-in more than a moment ago), then
    # she chooses it again.
    page.locator(f"input[name='account'][value='{account.pk}']").check()
    page.get_by_role("button", name="Remove the link").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible(timeout=PATIENCE)
    _confirm_password_if_asked(page)
    expect(page.get_by_role("heading", name="Work accounts")).to_be_visible(timeout=PATIENCE)
    if SocialAccount.objects.filter(pk=account.pk).exists():
        page.locator(f"input[name='account'][value='{account.pk}']").check()
        page.get_by_role("button", name="Remove the link").click()
    expect(page.get_by_text("No work account is linked to your account.")).to_be_visible(
        timeout=PATIENCE
    )
    assert_accessible(page)
    assert not SocialAccount.objects.filter(pk=account.pk).exists()
    event = AuditEvent.objects.get(action="auth.provider_unlink", actor=amy)
    assert event.data["provider"] == PROVIDER_ID
