"""An organisation admin links an email domain to their organisation in chromium: nhs.net is
refused with the reason, a confirmation link goes to an address at the domain, opening it signed
in shows what will change and the button links it, and the admin removes it again. Every page
is checked with axe; every wait is a bounded ``expect``."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from learning.models import AuditEvent, OrganisationEmailDomain, Role
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

PATIENCE = 60_000


def test_an_organisation_admin_links_and_removes_an_email_domain(page, live_server, settings):
    page.set_default_timeout(PATIENCE)
    page.set_default_navigation_timeout(PATIENCE)
    base = live_server.url
    settings.HOPE_BASE_URL = base  # the address the emails link to
    organisation = OrganisationFactory(name="Home Trust", slug="home-trust")
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{base}/dashboard/", timeout=PATIENCE)

    visit(page, f"{base}/organisations/home-trust/members/")
    page.get_by_role("link", name="Email domains and work account sign-in").click()
    expect(page.get_by_role("heading", name="Email domains", exact=True)).to_be_visible(
        timeout=PATIENCE
    )
    assert_accessible(page)

    # nhs.net is every NHS organisation's: refused, with the reason.
    page.get_by_label("Email domain").fill("nhs.net")
    page.get_by_label("Address at that domain to send the link to").fill("me@nhs.net")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("link", name=re.compile("shared by many organisations"))).to_be_visible(
        timeout=PATIENCE
    )
    assert_accessible(page)

    # The organisation's own domain: a link goes to the address there.
    page.get_by_label("Email domain").fill("home-trust.nhs.test")
    page.get_by_label("Address at that domain to send the link to").fill("it@home-trust.nhs.test")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("We sent a link to it@home-trust.nhs.test")).to_be_visible(
        timeout=PATIENCE
    )
    expect(page.get_by_text("home-trust.nhs.test – it@home-trust.nhs.test")).to_be_visible(
        timeout=PATIENCE
    )
    assert_accessible(page)
    assert not OrganisationEmailDomain.objects.exists()

    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == ["it@home-trust.nhs.test"]
    link = re.search(r"https?://\S+/signin/domains/confirm/\S+/", body).group(0)
    visit(page, link)
    expect(
        page.get_by_role("heading", name="Link home-trust.nhs.test to Home Trust?")
    ).to_be_visible(timeout=PATIENCE)
    page.get_by_role("button", name="Link home-trust.nhs.test").click()
    expect(page.get_by_text("home-trust.nhs.test is now linked to Home Trust.")).to_be_visible(
        timeout=PATIENCE
    )
    expect(page.get_by_role("cell", name="home-trust.nhs.test", exact=True)).to_be_visible(
        timeout=PATIENCE
    )
    assert_accessible(page)
    assert OrganisationEmailDomain.objects.get().organisation == organisation

    # Removing it, from the keyboard.
    page.get_by_role("button", name="Remove home-trust.nhs.test").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("home-trust.nhs.test is no longer linked to Home Trust.")
    ).to_be_visible(timeout=PATIENCE)
    expect(page.get_by_text("No email domains are linked yet.")).to_be_visible(timeout=PATIENCE)
    assert_accessible(page)
    assert not OrganisationEmailDomain.objects.exists()
    assert set(
        AuditEvent.objects.filter(action__startswith="organisation.domain_").values_list(
            "action", flat=True
        )
    ) == {
        "organisation.domain_claimed",
        "organisation.domain_linked",
        "organisation.domain_removed",
    }
