"""pytest fixtures for the sign-in tests: the test provider (one process for the session) and
the deployment settings that point the platform at it. Import them into a test module."""

from __future__ import annotations

import copy

import pytest

from tests.conftest import IN_CI

from .harness import start_provider

PROVIDER_ID = "testwork"
# The people the provider knows. Like Microsoft Entra ID, it sends no email_verified claim for
# amy and ben: their domain is linked to the provider, which vouches for it.
PEOPLE = [
    {"username": "amy", "email": "amy@trust.nhs.test", "name": "Amy Adams", "amr": ["pwd", "mfa"]},
    {"username": "ben", "email": "ben@trust.nhs.test", "name": "Ben Bell", "amr": ["pwd"]},
    {
        "username": "dan",
        "email": "dan@council.gov.test",
        "name": "Dan Dale",
        "email_verified": True,
        "amr": ["pwd"],
    },
    {
        "username": "eve",
        "email": "eve@example.test",
        "name": "Eve Evans",
        "email_verified": False,
        "amr": ["pwd"],
    },
]


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    redirect_uri = f"{live_server.url}/accounts/oidc/{PROVIDER_ID}/login/callback/"
    frontchannel = f"{live_server.url}/signin/oidc/{PROVIDER_ID}/frontchannel-logout/"
    try:
        provider = start_provider(
            tmp_path_factory.mktemp("oidc-provider"),
            redirect_uri=redirect_uri,
            people=PEOPLE,
            frontchannel_logout_uri=frontchannel,
        )
    except RuntimeError as exc:
        if IN_CI:
            pytest.fail(f"CI=true and the OpenID Connect provider cannot start: {exc}")
        pytest.skip(f"the OpenID Connect provider cannot start: {exc}")
    yield provider
    provider.stop()


def configure(settings, provider, *, trust_mfa: bool = True) -> None:
    """Point the platform at ``provider``, as HOPE_OIDC_PROVIDERS would in a deployment."""
    settings.HOPE_OIDC_PROVIDERS = [
        {
            "id": PROVIDER_ID,
            "name": "Test work account",
            "server_url": provider.server_url,
            "client_id": provider.client_id,
            "secret": provider.client_secret,
            "trust_mfa": trust_mfa,
        }
    ]
    # As learning/settings/base.py does for HOPE_OIDC_PROVIDERS at start: forms may send people on
    # to the provider (a form caught by the re-check is redirected there).
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], provider.origin]
    settings.CONTENT_SECURITY_POLICY = policy
    # The provider is a second process on a machine the tests share: more than allauth's 5 seconds.
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 30
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "Test work account",
                    "client_id": provider.client_id,
                    "secret": provider.client_secret,
                    "settings": {"server_url": provider.server_url},
                }
            ],
        }
    }
