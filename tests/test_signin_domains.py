"""Organisation admins link email domains with proof of control: a confirmation link goes to an
address at the domain, and the domain is linked only when the admin who asked opens it signed
in and confirms. Public webmail and shared domains (nhs.net) are refused; every request, link
and removal is audited; linked domains can be removed (not "work account only" ones)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from learning.models import AuditEvent, DomainClaim, Membership, OrganisationEmailDomain, Role
from learning.services import membership_end
from learning.signin import domains
from learning.signin.services import organisation_join_from_provider
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.signin_factories import OrganisationEmailDomainFactory

pytestmark = pytest.mark.django_db

DOMAINS = "organisation_domains"


def _ask(client, organisation, *, domain: str, email: str, capture):
    with capture(execute=True):
        return client.post(
            reverse(DOMAINS, kwargs={"slug": organisation.slug}),
            {"domain": domain, "email": email},
        )


def _link_from_outbox() -> str:
    assert mail.outbox, "no email was sent"
    found = re.search(r"https?://\S+/signin/domains/confirm/\S+/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return urlsplit(found.group(0)).path


def test_the_admin_links_a_domain_by_opening_the_link_sent_there(
    client, people, organisation, django_capture_on_commit_callbacks
):
    admin = people["org_admin"]
    client.force_login(admin)
    response = _ask(
        client,
        organisation,
        domain=" @Home-Trust.NHS.test ",
        email="IT@home-trust.nhs.test",
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    claim = DomainClaim.objects.get()
    assert (claim.domain, claim.email, claim.requested_by) == (
        "home-trust.nhs.test",
        "it@home-trust.nhs.test",
        admin,
    )
    # One email, to the address at the domain, in the service's words; nothing linked yet.
    assert [m.to for m in mail.outbox] == [["it@home-trust.nhs.test"]]
    assert mail.outbox[0].subject.startswith("[Holding Hope] Confirm home-trust.nhs.test")
    assert organisation.name in mail.outbox[0].body
    assert not OrganisationEmailDomain.objects.exists()
    page = client.get(reverse(DOMAINS, kwargs={"slug": organisation.slug}))
    assert "it@home-trust.nhs.test" in page.content.decode()  # waiting

    # Opening the link changes nothing (mail scanners open links); the button links it.
    link = _link_from_outbox()
    assert client.get(link).status_code == 200
    assert not OrganisationEmailDomain.objects.exists()
    response = client.post(link)
    assert response.status_code == 302
    linked = OrganisationEmailDomain.objects.get()
    assert (linked.organisation, linked.domain, linked.require_provider) == (
        organisation,
        "home-trust.nhs.test",
        False,
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="organisation.domain_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["organisation.domain_claimed", "organisation.domain_linked"]
    # Used once.
    assert client.post(link).status_code == 400
    assert OrganisationEmailDomain.objects.count() == 1


def test_the_link_works_only_for_the_admin_who_asked_and_only_in_time(
    client, people, organisation, django_capture_on_commit_callbacks
):
    client.force_login(people["org_admin"])
    _ask(
        client,
        organisation,
        domain="home-trust.nhs.test",
        email="it@home-trust.nhs.test",
        capture=django_capture_on_commit_callbacks,
    )
    link = _link_from_outbox()
    # Another admin of the same organisation, signed in, cannot use it.
    other_admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    client.force_login(other_admin)
    response = client.post(link)
    assert response.status_code == 400
    assert "for the organisation admin who asked for it" in response.content.decode()
    # Signed out: to the sign-in page first.
    client.logout()
    assert client.get(link).status_code == 302
    # Expired: refused, even for the admin who asked.
    past = timezone.now() - timedelta(days=10)
    DomainClaim.objects.update(created_at=past, expires_at=past + timedelta(days=3))
    client.force_login(people["org_admin"])
    assert "expired" in client.post(link).content.decode()
    # A forged token.
    claim = DomainClaim.objects.get()
    forged = reverse("domain_claim_confirm", kwargs={"token": f"{claim.pk}.{'0' * 64}"})
    assert client.post(forged).status_code == 400
    assert not OrganisationEmailDomain.objects.exists()


def test_an_admin_who_is_no_longer_admin_cannot_link(
    client, people, organisation, django_capture_on_commit_callbacks
):
    admin = people["org_admin"]
    client.force_login(admin)
    _ask(
        client,
        organisation,
        domain="home-trust.nhs.test",
        email="it@home-trust.nhs.test",
        capture=django_capture_on_commit_callbacks,
    )
    link = _link_from_outbox()
    other_admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    membership_end(
        actor=other_admin,
        membership=Membership.objects.get(user=admin, role=Role.ORG_ADMIN),
    )
    response = client.post(link)
    assert response.status_code == 400
    assert not OrganisationEmailDomain.objects.exists()


@pytest.mark.parametrize(
    ("domain", "email", "message"),
    [
        ("gmail.com", "me@gmail.com", "public email service"),
        ("nhs.net", "me@nhs.net", "ask the national coordinator"),
        ("NHS.NET", "me@nhs.net", "shared by many organisations"),
        ("not a domain", "me@example.test", "correct format"),
        ("home-trust.nhs.test", "me@elsewhere.nhs.test", "Enter an address at home-trust.nhs.test"),
    ],
)
def test_public_shared_and_mismatched_domains_are_refused(
    client, people, organisation, django_capture_on_commit_callbacks, domain, email, message
):
    client.force_login(people["org_admin"])
    response = _ask(
        client, organisation, domain=domain, email=email, capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DomainClaim.objects.exists()
    assert mail.outbox == []


def test_a_domain_linked_elsewhere_is_refused_without_naming_the_organisation(
    client, people, organisation, django_capture_on_commit_callbacks
):
    elsewhere = OrganisationEmailDomainFactory(domain="taken.nhs.test")
    client.force_login(people["org_admin"])
    response = _ask(
        client,
        organisation,
        domain="taken.nhs.test",
        email="it@taken.nhs.test",
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "linked to another organisation" in page
    assert elsewhere.organisation.name not in page


def test_a_domain_linked_elsewhere_after_the_request_is_not_taken_over(
    client, people, organisation, django_capture_on_commit_callbacks
):
    client.force_login(people["org_admin"])
    _ask(
        client,
        organisation,
        domain="race.nhs.test",
        email="it@race.nhs.test",
        capture=django_capture_on_commit_callbacks,
    )
    OrganisationEmailDomainFactory(domain="race.nhs.test")
    response = client.post(_link_from_outbox())
    assert response.status_code == 400
    assert OrganisationEmailDomain.objects.get(domain="race.nhs.test").organisation != organisation


def test_only_admins_of_the_organisation_ask(people, organisation):
    other = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        domains.domain_claim_create(
            actor=people["practitioner"],
            organisation=organisation,
            domain="home-trust.nhs.test",
            email="it@home-trust.nhs.test",
        )
    with pytest.raises(PermissionDenied):
        domains.domain_claim_create(
            actor=people["org_admin"],
            organisation=other,
            domain="home-trust.nhs.test",
            email="it@home-trust.nhs.test",
        )


def test_a_new_request_replaces_the_waiting_one(people, organisation):
    first = domains.domain_claim_create(
        actor=people["org_admin"],
        organisation=organisation,
        domain="home-trust.nhs.test",
        email="a@home-trust.nhs.test",
    )
    second = domains.domain_claim_create(
        actor=people["org_admin"],
        organisation=organisation,
        domain="home-trust.nhs.test",
        email="b@home-trust.nhs.test",
    )
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    with pytest.raises(domains.DomainClaimError):
        domains.domain_claim_confirm(
            actor=people["org_admin"], token=domains.domain_claim_token_make(first)
        )


def test_requests_are_rate_limited(people, organisation, settings):
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "domain_claim": "2/1d"}
    for n in range(2):
        domains.domain_claim_create(
            actor=people["org_admin"],
            organisation=organisation,
            domain=f"d{n}.nhs.test",
            email=f"it@d{n}.nhs.test",
        )
    with pytest.raises(Exception, match="a lot of confirmation links"):
        domains.domain_claim_create(
            actor=people["org_admin"],
            organisation=organisation,
            domain="d9.nhs.test",
            email="it@d9.nhs.test",
        )


def test_the_email_is_sent_once(people, organisation):
    claim = domains.domain_claim_create(
        actor=people["org_admin"],
        organisation=organisation,
        domain="home-trust.nhs.test",
        email="it@home-trust.nhs.test",
    )
    assert domains.domain_claim_email_send(claim_id=claim.pk) is True
    assert domains.domain_claim_email_send(claim_id=claim.pk) is False
    assert len(mail.outbox) == 1


def test_the_admin_removes_a_linked_domain_but_not_a_work_account_only_one(
    client, people, organisation
):
    plain = OrganisationEmailDomainFactory(organisation=organisation, domain="plain.nhs.test")
    locked = OrganisationEmailDomainFactory(
        organisation=organisation, domain="locked.nhs.test", require_provider=True
    )
    elsewhere = OrganisationEmailDomainFactory(domain="elsewhere.nhs.test")
    client.force_login(people["org_admin"])
    page = client.get(reverse(DOMAINS, kwargs={"slug": organisation.slug})).content.decode()
    assert "plain.nhs.test" in page and "locked.nhs.test" in page
    assert "Work account only (set by platform operations)" in page

    def remove(link):
        return client.post(
            reverse(
                "organisation_domain_remove",
                kwargs={"slug": organisation.slug, "domain_id": link.pk},
            )
        )

    assert remove(plain).status_code == 302
    assert remove(locked).status_code == 404
    assert remove(elsewhere).status_code == 404
    assert set(OrganisationEmailDomain.objects.values_list("domain", flat=True)) == {
        "locked.nhs.test",
        "elsewhere.nhs.test",
    }
    event = AuditEvent.objects.get(action="organisation.domain_removed")
    assert event.data["domain"] == "plain.nhs.test" and event.actor == people["org_admin"]
    with pytest.raises(PermissionDenied):
        domains.domain_unlink(actor=people["org_admin"], link=locked)


def test_nobody_joins_an_organisation_by_signing_in_from_a_shared_domain():
    organisation = OrganisationFactory(signin_provider="testwork", join_on_provider_signin=True)
    OrganisationEmailDomainFactory(organisation=organisation, domain="nhs.net")
    person = UserFactory(email="someone@nhs.net")
    assert organisation_join_from_provider(user=person, provider_id="testwork") is None
    assert not Membership.objects.filter(user=person).exists()


def test_the_members_page_links_to_the_domains_page(client, people, organisation):
    client.force_login(people["org_admin"])
    page = client.get(reverse("organisation_members", kwargs={"slug": organisation.slug}))
    assert reverse(DOMAINS, kwargs={"slug": organisation.slug}) in page.content.decode()
