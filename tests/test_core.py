"""Core services, selectors, permissions, the audit log and the sign-up rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from zeal import zeal_context

from learning import permissions, selectors, services
from learning.adapters import email_domain_allowed
from learning.models import AuditEvent, Membership, Role
from learning.pagination import keyset_page

from .factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_roles_are_worked_out_once_per_request(people, organisation, django_assert_num_queries):
    user = people["supervisor"]
    with django_assert_num_queries(2):
        roles = permissions.roles_for(user)
        permissions.roles_for(user)
        permissions.is_privileged(user)
    assert roles.roles_in(organisation) == {Role.SUPERVISOR}
    assert roles.is_privileged


@pytest.mark.parametrize(
    ("role", "privileged"),
    [
        ("anonymous", False),
        ("practitioner", False),
        ("deactivated", False),
        ("supervisor", True),
        ("facilitator", True),
        ("org_admin", True),
        ("editor", True),
        ("coordinator", True),
        ("superuser", True),
    ],
)
def test_privileged_roles(people, role, privileged):
    from django.contrib.auth.models import AnonymousUser

    user = people[role] or AnonymousUser()
    assert permissions.is_privileged(user) is privileged


def test_ended_memberships_give_no_role(people, organisation):
    membership = Membership.objects.get(user=people["org_admin"], role=Role.ORG_ADMIN)
    colleague = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    services.membership_end(actor=colleague, membership=membership)
    permissions.forget_roles(people["org_admin"])
    assert not permissions.can_manage_members(people["org_admin"], organisation)
    assert not selectors.organisations_administered_by(people["org_admin"]).exists()
    assert AuditEvent.objects.filter(action="membership.ended").count() == 1


def test_one_open_membership_per_role_and_organisation(organisation):
    membership = MembershipFactory(organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, organisation=organisation, role=membership.role
        )


def test_membership_cannot_end_before_it_starts(organisation):
    import datetime

    membership = MembershipFactory(organisation=organisation)
    membership.ended_on = membership.started_on - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_only_superusers_change_platform_groups(people):
    with pytest.raises(PermissionDenied):
        services.group_membership_set(
            actor=people["org_admin"],
            user=people["practitioner"],
            group_name=permissions.CONTENT_EDITORS,
            member=True,
        )
    services.group_membership_set(
        actor=people["superuser"],
        user=people["practitioner"],
        group_name=permissions.CONTENT_EDITORS,
        member=True,
    )
    permissions.forget_roles(people["practitioner"])
    assert permissions.can_use_cms(people["practitioner"])
    assert AuditEvent.objects.filter(
        action="group.added", target_id=str(people["practitioner"].pk)
    ).exists()


def test_audit_log_is_append_only(people):
    event = services.audit_record(action="test.event", actor=people["practitioner"], data={"n": 1})
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_sign_in_and_failed_sign_in_are_audited(client, people):
    user = people["practitioner"]
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong password"})
    failed = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert failed.actor is None
    assert user.email not in str(failed.data)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert AuditEvent.objects.filter(action="auth.signed_in", actor=user).count() == 1


def test_sign_up_needs_email_verification(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Nia Newcomer",
            "email": "newcomer@example.nhs.uk",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302
    assert len(mailoutbox) == 1
    assert "newcomer@example.nhs.uk" in mailoutbox[0].to


@pytest.mark.parametrize(
    ("allowed", "email", "ok"),
    [
        ([], "anyone@gmail.com", True),
        (["nhs.net"], "midwife@nhs.net", True),
        (["nhs.net"], "midwife@trust.nhs.net", True),
        (["nhs.net"], "midwife@notnhs.net", False),
        (["nhs.net", "@council.gov.uk"], "sw@council.gov.uk", True),
    ],
)
def test_email_domain_allow_list(settings, allowed, email, ok):
    settings.HOPE_SIGNUP_ALLOWED_DOMAINS = allowed
    assert email_domain_allowed(email) is ok


def test_sign_up_outside_the_allow_list_is_refused_with_a_clear_message(client, settings):
    settings.HOPE_SIGNUP_ALLOWED_DOMAINS = ["nhs.net"]
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Sam Someone",
            "email": "someone@gmail.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Use your work email address" in response.content.decode()


def test_keyset_page_walks_every_row_once():
    org = OrganisationFactory()
    for _ in range(23):
        MembershipFactory(organisation=org)
    seen, cursor = [], None
    while True:
        with zeal_context():  # each page is a request of its own
            page = keyset_page(
                Membership.objects.filter(organisation=org),
                order=("user__email", "pk"),
                cursor=cursor,
                size=5,
            )
        seen.extend(m.pk for m in page.items)
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 23


def test_keyset_page_ignores_a_tampered_cursor():
    org = OrganisationFactory()
    MembershipFactory(organisation=org)
    page = keyset_page(Membership.objects.all(), order=("pk",), cursor="!!not-base64!!", size=5)
    assert len(page.items) == 1
    assert page.has_previous is False


@pytest.mark.postgres
def test_suite_runs_on_postgresql_with_its_constraints(organisation):
    """In CI the whole suite runs on PostgreSQL; this proves it, and that the partial unique
    constraint on open memberships is enforced by the database itself."""
    from django.db import connection

    assert connection.vendor == "postgresql"
    membership = MembershipFactory(organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO learning_membership (user_id, organisation_id, role, started_on, "
            "created_at) VALUES (%s, %s, %s, CURRENT_DATE, NOW())",
            [membership.user_id, organisation.pk, membership.role],
        )
