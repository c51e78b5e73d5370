"""A name for everyone: sign-up asks for it, "Your details" changes it, and someone without one
is asked once after signing in. The name, never the email address, is what others see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learning.details import services
from learning.models import AuditEvent, User

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_asks_for_a_name_and_keeps_it(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert page.index('name="display_name"') < page.index('name="email"')
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "  Nia   Newcomer ",
            "email": "newcomer.nurse@example.nhs.uk",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="newcomer.nurse@example.nhs.uk")
    assert user.display_name == "Nia Newcomer"
    assert user.get_short_name() == "Nia Newcomer"
    event = AuditEvent.objects.get(action="account.name_set", actor=user)
    assert "Nia" not in str(event.data)


def test_sign_up_without_a_name_says_what_to_do(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "noname@example.nhs.uk", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter your full name" in page
    assert 'aria-describedby="id_display_name-hint id_display_name-error"' in page
    assert not User.objects.filter(email="noname@example.nhs.uk").exists()


def test_your_details_changes_the_name_shown_in_the_header(client):
    user = UserFactory(display_name="Old Name")
    client.force_login(user)
    page = client.get(reverse("account_details")).content.decode()
    assert 'value="Old Name"' in page
    assert 'autocomplete="name"' in page
    response = client.post(reverse("account_details"), {"display_name": "Ada Lovelace"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_details")
    user.refresh_from_db()
    assert user.display_name == "Ada Lovelace"
    assert AuditEvent.objects.filter(action="account.name_changed", actor=user).count() == 1
    assert "Your details are saved." in client.get(reverse("account_details")).content.decode()
    assert "Ada Lovelace" in client.get(reverse("dashboard")).content.decode()


def test_your_details_refuses_an_empty_name(client):
    user = UserFactory(display_name="Kept Name")
    client.force_login(user)
    response = client.post(reverse("account_details"), {"display_name": "   "})
    assert response.status_code == 200
    assert "Enter your full name" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Kept Name"


def test_the_service_refuses_a_blank_name_whoever_calls_it():
    user = UserFactory(display_name="Kept Name")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.details_name_set(user=user, display_name=" \t ")


def test_someone_without_a_name_is_asked_once_after_signing_in(client):
    user = UserFactory(display_name="", email="newcomer.nurse@example.nhs.uk")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    asked = response["Location"]
    assert asked.startswith(reverse("account_details") + "?next=")
    page = client.get(asked).content.decode()
    assert "We do not have your name yet" in page
    assert "Not now" in page
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert not response["Location"].startswith(reverse("account_details"))


def test_the_name_form_carries_on_where_the_person_was_going(client):
    user = UserFactory(display_name="")
    client.force_login(user)
    response = client.post(
        reverse("account_details") + "?next=/dashboard/",
        {"display_name": "Grace Hopper", "next": "/dashboard/"},
    )
    assert response["Location"] == "/dashboard/"
    elsewhere = client.post(
        reverse("account_details"), {"display_name": "Grace Hopper", "next": "https://evil.test/"}
    )
    assert elsewhere["Location"] == reverse("account_details")
