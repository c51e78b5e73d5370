"""Sessions, two-factor for privileged roles, and no caching of signed-in pages."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from learning.middleware import LAST_SEEN, SIGNED_IN_AT

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_sign_in_rotates_the_session_key_and_records_the_time(client, people):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    _sign_in(client, people["practitioner"])
    assert client.session.session_key != before
    assert client.session[SIGNED_IN_AT] == pytest.approx(time.time(), abs=5)


def test_idle_session_is_signed_out(client, people, settings):
    _sign_in(client, people["practitioner"])
    session = client.session
    session[LAST_SEEN] = time.time() - settings.HOPE_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fdashboard%2F"
    follow = client.get(response["Location"])
    assert "signed out to keep your information safe" in follow.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_active_session_is_kept_until_the_absolute_limit(client, people, settings):
    _sign_in(client, people["practitioner"])
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.HOPE_SESSION_ABSOLUTE_HOURS * 3600 - 5
    session[LAST_SEEN] = time.time()
    session.save()
    assert client.get(reverse("dashboard")).status_code == 302


def test_signed_in_responses_are_private_and_not_stored(client, people, home_page):
    client.force_login(people["practitioner"])
    for url in (reverse("dashboard"), "/", reverse("privacy")):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_anonymous_public_pages_are_cacheable(client, home_page):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_security_headers(client, home_page):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "role", ["supervisor", "facilitator", "org_admin", "editor", "coordinator", "superuser"]
)
def test_privileged_roles_must_set_up_two_factor(client, people, settings, role):
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = True
    _sign_in(client, people[role])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page stays reachable: allauth first asks for the password again.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("account_reauthenticate"))
    client.post(setup["Location"], {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_practitioners_are_not_forced_to_set_up_two_factor(client, people, settings):
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = True
    client.force_login(people["practitioner"])
    assert client.get(reverse("dashboard")).status_code == 200


def test_privileged_person_with_two_factor_passes(client, people, settings):
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = True
    Authenticator.objects.create(
        user=people["supervisor"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(people["supervisor"])
    assert client.get(reverse("dashboard")).status_code == 200


def test_two_factor_not_required_when_setting_is_off(client, people, settings):
    settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED = False
    client.force_login(people["supervisor"])
    assert client.get(reverse("dashboard")).status_code == 200
