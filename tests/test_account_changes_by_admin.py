"""An administrator cannot take over someone's account silently: a new email address waits
for its owner to confirm it, and every change to email, password, groups, flags or two-factor
made in either admin is audited (which fields, never values)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core import mail

from learning.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def _wagtail_edit(client, user, **changes):
    data = {
        "email": user.email,
        "first_name": "Test",
        "last_name": "Person",
        "is_active": "on" if user.is_active else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(changes)
    data = {k: v for k, v in data.items() if v not in ("", None)}
    return client.post(f"/admin/users/edit/{user.pk}/", data)


def _rows():
    return list(AuditEvent.objects.filter(action="account.changed_by_admin"))


def test_an_email_changed_in_wagtail_waits_for_the_new_owner_to_confirm(
    client, people, django_capture_on_commit_callbacks
):
    victim = people["practitioner"]
    old = victim.email
    client.force_login(people["superuser"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _wagtail_edit(client, victim, email="attacker@example.org")
    assert response.status_code == 302, response.content.decode()[:2000]
    victim.refresh_from_db()
    assert victim.email == old
    pending = EmailAddress.objects.get(user=victim, email="attacker@example.org")
    assert not pending.verified and not pending.primary
    # The new address gets the confirmation link; the person is told at their own address.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["attacker@example.org", old])
    told = next(m for m in mail.outbox if m.to == [old])
    assert "An administrator changed your account" in told.subject
    assert "attacker@example.org" not in told.subject + told.body
    (row,) = _rows()
    assert row.actor == people["superuser"] and row.target_id == str(victim.pk)
    assert row.data["changed"] == ["email"] and row.data["email_held_for_verification"]
    assert "attacker@example.org" not in repr(row.data) and old not in repr(row.data)
    # Until it is confirmed, the new address belongs to no account.
    assert User.objects.filter(email="attacker@example.org").count() == 0


def test_groups_and_active_state_changed_in_wagtail_are_audited(client, people):
    person = people["practitioner"]
    group = Group.objects.create(name="Somewhere")
    client.force_login(people["superuser"])
    response = _wagtail_edit(client, person, groups=[group.pk], is_active="")
    assert response.status_code == 302, response.content.decode()[:2000]
    (row,) = _rows()
    assert set(row.data["changed"]) == {"groups", "is_active"}
    assert row.data["groups_added"] == [group.pk] and row.data["is_active"] is False


def test_saving_without_changes_writes_nothing(client, people):
    client.force_login(people["superuser"])
    assert _wagtail_edit(client, people["practitioner"]).status_code == 302
    assert _rows() == []


def test_a_password_set_in_the_django_admin_is_audited_without_the_hash(
    client, people, django_capture_on_commit_callbacks
):
    person = people["practitioner"]
    User.objects.filter(pk=person.pk).update(email_notifications="off")
    mail.outbox.clear()
    client.force_login(people["superuser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/django-admin/learning/user/{person.pk}/password/",
            {"password1": "A new long passphrase 9", "password2": "A new long passphrase 9"},
        )
    assert response.status_code == 302
    person.refresh_from_db()
    (row,) = _rows()
    assert row.data["changed"] == ["password"]
    assert person.password not in repr(row.data)
    # Told even though they chose never to be emailed: a security message.
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "your password was set" in mail.outbox[0].subject


def test_an_email_changed_in_the_django_admin_also_waits(client, people):
    person = people["practitioner"]
    old = person.email
    client.force_login(people["superuser"])
    response = client.post(
        f"/django-admin/learning/user/{person.pk}/change/",
        {
            "email": "elsewhere@example.org",
            "display_name": person.display_name,
            "professional_role": person.professional_role,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.email == old
    assert EmailAddress.objects.filter(user=person, email="elsewhere@example.org").exists()
    assert _rows()[0].data["changed"] == ["email"]


def test_removing_someones_two_factor_in_the_django_admin_is_audited(client, people):
    person = people["practitioner"]
    authenticator = TOTP.activate(person, generate_totp_secret()).instance
    client.force_login(people["superuser"])
    response = client.post(
        f"/django-admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
    (row,) = _rows()
    assert row.data["changed"] == ["two_factor"] and row.data["authenticators_removed"] == 1
