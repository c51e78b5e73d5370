"""OpenID Connect front-channel logout without a browser: the provider's sign-out page loads our
URL in a frame with ``iss`` and ``sid``; the sessions begun in that provider session end, and
nothing else. Checked against the real test provider (its issuer and origin)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore

from learning.models import AuditEvent
from tests.factories import UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID, configure, oidc_provider  # noqa: F401
from tests.signin_factories import ProviderSessionFactory

pytestmark = pytest.mark.django_db

URL = f"/signin/oidc/{PROVIDER_ID}/frontchannel-logout/"


@pytest.fixture
def work_provider(settings, oidc_provider):  # noqa: F811
    configure(settings, oidc_provider)
    return oidc_provider


def _signed_in_session(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session.create()
    return session.session_key


def _row(sid: str):
    user = UserFactory()
    return ProviderSessionFactory(user=user, sid=sid, session_key=_signed_in_session(user))


def test_the_provider_session_s_sessions_end_and_no_other(client, work_provider):
    ended, kept = _row("sid-front"), _row("sid-other")
    response = client.get(URL, {"iss": work_provider.issuer, "sid": "sid-front"})
    assert response.status_code == 200
    assert not SessionStore().exists(ended.session_key)
    assert SessionStore().exists(kept.session_key)
    ended.refresh_from_db()
    kept.refresh_from_db()
    assert ended.ended_at is not None and kept.ended_at is None
    event = AuditEvent.objects.get(action="auth.provider_logout", target_id=str(ended.pk))
    assert event.data["channel"] == "front"


def test_only_the_provider_may_frame_it_and_nothing_caches_it(client, work_provider):
    response = client.get(URL, {"iss": work_provider.issuer, "sid": "sid-none"})
    assert response.status_code == 200  # no such session: nothing to end, and nothing said
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == work_provider.origin
    assert "X-Frame-Options" not in response
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_entra_s_sid_alone_is_enough(client, work_provider):
    """Microsoft Entra ID sends ``sid`` without ``iss``: the address names the provider."""
    row = _row("sid-entra")
    assert client.get(URL, {"sid": "sid-entra"}).status_code == 200
    assert not SessionStore().exists(row.session_key)


@pytest.mark.parametrize(
    "query",
    [
        {"iss": "http://127.0.0.1:1/o", "sid": "sid-keep"},
        {"iss": "https://login.example.test/other", "sid": "sid-keep"},
        {"sid": ""},
        {},
    ],
    ids=["another-issuer", "unknown-issuer", "empty-sid", "nothing"],
)
def test_a_wrong_issuer_or_no_sid_ends_nothing(client, work_provider, query):
    row = _row("sid-keep")
    response = client.get(URL, query)
    assert response.status_code == 400
    assert SessionStore().exists(row.session_key)
    assert not AuditEvent.objects.filter(action="auth.provider_logout").exists()


def test_only_get_and_only_configured_providers(client, work_provider):
    assert client.post(URL, {"sid": "sid-x"}).status_code == 405
    assert client.get("/signin/oidc/nobody/frontchannel-logout/", {"sid": "x"}).status_code == 404


def test_the_browser_s_own_session_ends_with_its_cookie(client, work_provider):
    """Where the browser sends our cookie with the framed request (a provider on the same
    site), the session it names is among those ended: the response clears the cookie too."""
    user = UserFactory()
    client.force_login(user)
    key = client.session.session_key
    ProviderSessionFactory(user=user, sid="sid-mine", session_key=key)
    response = client.get(URL, {"iss": work_provider.issuer, "sid": "sid-mine"})
    assert response.status_code == 200
    assert not SessionStore().exists(key)
    assert response.cookies["sessionid"].value == ""
