"""The client's address behind a trusted proxy: the same address for allauth's sign-in limits,
our audit rows and our own code, taken only from the proxies the settings trust."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from learning.middleware import client_ip
from learning.models import AuditEvent

from .factories import PASSWORD

PROXY = "10.0.0.5"


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **meta)


def test_without_a_trusted_proxy_the_connecting_address_is_used(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    # A forwarded header sent by the client itself is ignored.
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == PROXY


def test_one_trusted_proxy_takes_the_address_it_appended(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    # Whatever the client put in front is not believed.
    spoofed = _request(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert client_ip(spoofed) == "203.0.113.9"


def test_a_named_header_wins_and_bad_values_give_no_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(_request(HTTP_X_REAL_IP="203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(HTTP_X_REAL_IP="not an address")) is None
    assert client_ip(None) is None


@pytest.mark.django_db
def test_failed_sign_ins_from_one_client_do_not_lock_out_another_behind_the_same_proxy(
    client, people, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    cache.clear()
    url = reverse("account_login")
    someone_else = people["supervisor"].email
    for _ in range(12):
        client.post(
            url,
            {"login": someone_else, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.50",
            REMOTE_ADDR=PROXY,
        )
    event = AuditEvent.objects.filter(action="auth.sign_in_failed").first()
    assert event is not None and event.ip_address == "203.0.113.50"
    assert someone_else not in repr(event.data)
    # Another person behind the same proxy still signs in with the right password.
    response = client.post(
        url,
        {"login": people["practitioner"].email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        REMOTE_ADDR=PROXY,
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.signed_in", ip_address="198.51.100.20").exists()


@pytest.mark.django_db
def test_failed_sign_ins_are_also_limited_per_account(client, people, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    cache.clear()
    url = reverse("account_login")
    target = people["practitioner"].email
    for n in range(6):
        client.post(
            url,
            {"login": target, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}",
            REMOTE_ADDR=PROXY,
        )
    # From yet another address, the right password is refused for now: the account is limited.
    response = client.post(
        url,
        {"login": target, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
        REMOTE_ADDR=PROXY,
    )
    assert response.status_code in (200, 429)
    assert not AuditEvent.objects.filter(action="auth.signed_in").exists()


@pytest.mark.django_db
def test_the_failed_sign_in_digest_is_keyed(client, people, settings):
    import hashlib

    email = "someone@example.nhs.uk"
    client.post(reverse("account_login"), {"login": email, "password": "wrong"})
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert event.data["email_digest"]
    assert event.data["email_digest"] != hashlib.sha256(email.encode()).hexdigest()[:16]
