"""Journeys through the foundation in a real browser, axe-core clean on every page."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import expect

from learning.models import Membership, Role

from ..factories import PASSWORD, MembershipFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_keyboard_reaches_the_skip_link_first(page, live_server, home_page):
    visit(page, live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    # Following a fragment link is queued after the key event, so wait for it
    # rather than reading the address in the same breath.
    page.wait_for_url(re.compile(r"#maincontent$"), timeout=5_000)
    assert page.url.endswith("#maincontent")


def test_sign_up_verify_sign_in_dashboard(page, live_server, home_page, settings):
    settings.HOPE_BASE_URL = live_server.url  # the address the emails link to
    base = live_server.url
    visit(page, base + "/")
    page.get_by_role("button", name="Create an account").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nell Midwife")
    page.get_by_label("Email").fill("new.midwife@example.nhs.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create an account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)
    assert "Check your email" in page.content()

    # The verification email, read from the outbox.
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)
    visit(page, link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")
    assert_accessible(page)
    _sign_in(page, base, "new.midwife@example.nhs.uk")
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", name="My home")).to_be_visible()
    assert_accessible(page)


def test_org_admin_invites_and_invitee_joins(page, live_server, settings, organisation):
    settings.HOPE_BASE_URL = live_server.url
    base = live_server.url
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    _sign_in(page, base, admin.email)
    page.wait_for_url("**/dashboard/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Members of {organisation.name}", exact=True).click()
    assert_accessible(page)

    # A mistake first: the error is shown and the form keeps what was typed.
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("Email address").input_value() == "not an email"
    assert_accessible(page)

    page.get_by_label("Email address").fill("new.keyworker@example.org.uk")
    page.get_by_label("Supervisor").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to new.keyworker@example.org.uk")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(base + "/")

    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    visit(page, link)
    expect(page.get_by_text(f"invited to join {organisation.name} as a Supervisor")).to_be_visible()
    page.get_by_role("button", name="Create an account").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Kai Keyworker")
    page.get_by_label("Email").fill("new.keyworker@example.org.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create an account").click()
    page.wait_for_url("**/invitations/**")
    assert_accessible(page)
    page.get_by_role("button", name="Accept the invitation").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_text(f"You have joined {organisation.name} as Supervisor.")).to_be_visible()
    assert_accessible(page)
    assert Membership.objects.filter(
        user__email="new.keyworker@example.org.uk", organisation=organisation, role=Role.SUPERVISOR
    ).exists()


def test_privileged_user_is_made_to_set_up_two_factor(page, live_server, settings, organisation):
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = True
    base = live_server.url
    supervisor = MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user
    _sign_in(page, base, supervisor.email)

    # Sent to set up two-factor; allauth asks for the password once more first.
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert "Your role needs two-factor authentication" in page.content()
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible(page)

    # Trying to go elsewhere sends them back.
    page.goto(base + "/dashboard/")
    page.wait_for_url("**/accounts/2fa/totp/activate/")

    secret = page.locator("#authenticator_secret").input_value()
    if time.time() % 30 > 24:  # too near the next 30-second window: wait for it
        time.sleep(30 - time.time() % 30 + 0.5)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert "recovery" in page.content().lower()
    assert_accessible(page)

    visit(page, base + "/dashboard/")
    expect(page.get_by_role("heading", name="My home")).to_be_visible()
