"""Invitations: an organisation admin invites by email with a role; the invitee joins through
the link. Expired, reused and tampered links get a clear message."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import AuditEvent, Invitation, Membership, Role
from learning.tokens import invitation_token_make

from .factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _link_from_outbox() -> str:
    assert mail.outbox, "no email was sent"
    match = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_org_admin_invites_and_the_email_carries_a_working_link(
    people, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=people["org_admin"],
            organisation=organisation,
            email=" New@Example.NHS.uk ",
            role=Role.SUPERVISOR,
        )
    assert invitation.email == "new@example.nhs.uk"
    assert len(mail.outbox) == 1
    assert organisation.name in mail.outbox[0].subject
    link = _link_from_outbox()
    assert link.endswith(
        reverse("invitation_accept", kwargs={"token": invitation_token_make(invitation)})
    )
    assert AuditEvent.objects.filter(
        action="invitation.created", target_id=str(invitation.pk)
    ).exists()


@pytest.mark.parametrize(
    "role", ["practitioner", "supervisor", "facilitator", "editor", "coordinator", "superuser"]
)
def test_only_org_admins_of_that_organisation_can_invite(people, organisation, role):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=people[role],
            organisation=organisation,
            email="x@example.nhs.uk",
            role=Role.PRACTITIONER,
        )
    assert Invitation.objects.count() == 0


def test_org_admin_cannot_invite_to_another_organisation(people, other_organisation):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=people["org_admin"],
            organisation=other_organisation,
            email="x@example.nhs.uk",
            role=Role.PRACTITIONER,
        )


def test_inviting_someone_who_already_has_the_role_is_refused(people, organisation):
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=people["org_admin"],
            organisation=organisation,
            email=people["practitioner"].email,
            role=Role.PRACTITIONER,
        )


def test_a_new_invitation_replaces_the_pending_one(people, organisation):
    first = services.invitation_create(
        actor=people["org_admin"],
        organisation=organisation,
        email="a@example.nhs.uk",
        role=Role.PRACTITIONER,
    )
    services.invitation_create(
        actor=people["org_admin"],
        organisation=organisation,
        email="a@example.nhs.uk",
        role=Role.PRACTITIONER,
    )
    first.refresh_from_db()
    assert first.revoked_at is not None
    with pytest.raises(services.InvitationError, match="replaced or withdrawn"):
        services.invitation_for_token(invitation_token_make(first))


def test_accepting_creates_the_membership_once(organisation):
    invitation = InvitationFactory(organisation=organisation, role=Role.FACILITATOR)
    user = UserFactory(email=invitation.email)
    token = invitation_token_make(invitation)
    membership = services.invitation_accept(user=user, token=token)
    assert membership.role == Role.FACILITATOR
    assert membership.organisation == organisation
    with pytest.raises(services.InvitationError, match="already been used"):
        services.invitation_accept(user=user, token=token)
    assert Membership.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_accepting_with_a_different_email_is_refused(organisation):
    invitation = InvitationFactory(organisation=organisation)
    intruder = UserFactory()
    with pytest.raises(services.InvitationError, match="different email address"):
        services.invitation_accept(user=intruder, token=invitation_token_make(invitation))
    assert not Membership.objects.filter(user=intruder).exists()


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"), "not valid"),
        (lambda t: "999999." + t.split(".")[1], "not valid"),
        (lambda t: "garbage", "not valid"),
    ],
)
def test_tampered_links_get_a_clear_message(client, organisation, mangle, message):
    invitation = InvitationFactory(organisation=organisation)
    response = client.get(
        reverse("invitation_accept", kwargs={"token": mangle(invitation_token_make(invitation))})
    )
    assert response.status_code == 410
    assert message in response.content.decode()


def test_expired_link_gets_a_clear_message(client, organisation):
    invitation = InvitationFactory(organisation=organisation)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=20),
        expires_at=timezone.now() - timedelta(days=6),
    )
    response = client.get(
        reverse("invitation_accept", kwargs={"token": invitation_token_make(invitation)})
    )
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


def test_used_link_gets_a_clear_message(client, organisation):
    invitation = InvitationFactory(organisation=organisation)
    services.invitation_accept(
        user=UserFactory(email=invitation.email), token=invitation_token_make(invitation)
    )
    response = client.get(
        reverse("invitation_accept", kwargs={"token": invitation_token_make(invitation)})
    )
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_invitee_signs_up_without_a_second_verification_and_joins(client, organisation, settings):
    settings.HOPE_SIGNUP_ALLOWED_DOMAINS = ["nhs.net"]  # the invitee's domain is not on the list
    invitation = InvitationFactory(organisation=organisation, email="keyworker@charity.org.uk")
    url = reverse("invitation_accept", kwargs={"token": invitation_token_make(invitation)})
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Kit Keyworker",
            "email": invitation.email,
            "password1": "a-long-test-passphrase-42",
            "password2": "a-long-test-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert Membership.objects.filter(
        user__email=invitation.email, organisation=organisation
    ).exists()
    dashboard = client.get(reverse("dashboard"))
    assert organisation.name in dashboard.content.decode()
    assert "Kit Keyworker" in dashboard.content.decode()


def test_members_page_shows_errors_and_keeps_input(client, people, organisation):
    client.force_login(people["org_admin"])
    response = client.post(
        reverse("organisation_members", kwargs={"slug": organisation.slug}),
        {"email": "not-an-email", "role": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter an email address in the right format" in body
    assert "Choose the role they will have." in body
    assert 'value="not-an-email"' in body


def test_members_page_lists_members_with_keyset_pages(
    client, people, organisation, django_assert_num_queries
):
    for _ in range(60):
        MembershipFactory(organisation=organisation)
    client.force_login(people["org_admin"])
    url = reverse("organisation_members", kwargs={"slug": organisation.slug})
    client.get(url)  # warm the session cache
    # organisation (scoped), members page, invitations (roles come from the cache), and
    # how the members sign in: linked work accounts, passkeys
    with django_assert_num_queries(5):
        first = client.get(url)
    assert first.status_code == 200
    assert len(first.context["page"].items) == 50
    cursor = first.context["page"].next_cursor
    assert cursor
    second = client.get(url, {"after": cursor})
    assert len(second.context["page"].items) == 65 - 50
    assert not {m.pk for m in first.context["page"].items} & {
        m.pk for m in second.context["page"].items
    }


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ORG_ADMIN, Role.PRACTITIONER])
def test_nobody_can_invite_themselves_to_a_role(people, organisation, role):
    admin = people["org_admin"]
    with pytest.raises(ValidationError, match="cannot invite yourself"):
        services.invitation_create(
            actor=admin, organisation=organisation, email=admin.email.upper(), role=role
        )
    assert not Invitation.objects.filter(email=admin.email.lower()).exists()
