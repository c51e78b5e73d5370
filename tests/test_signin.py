"""Work-account sign-in (OpenID Connect) without a browser: back-channel logout tokens checked
against the real test provider's keys, linking only through verified email, domain routing,
the MFA claim honoured only when trusted, leavers, and the 12-hour re-check."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from learning.adapters import PENDING_PROVIDER_SIGNIN, SocialAccountAdapter
from learning.middleware import MFA_OK
from learning.models import AuditEvent, Membership, ProviderSession, Role
from learning.signin import config
from learning.signin.services import PROVIDER_SESSION, provider_signin_record
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID, configure, oidc_provider  # noqa: F401
from tests.signin_factories import OrganisationEmailDomainFactory, ProviderSessionFactory

pytestmark = pytest.mark.django_db

LOGOUT_URL = f"/signin/oidc/{PROVIDER_ID}/backchannel-logout/"


@pytest.fixture
def work_provider(settings, oidc_provider):  # noqa: F811
    """The platform set up with the test provider (trusted for MFA)."""
    configure(settings, oidc_provider)
    return oidc_provider


def _signed_in_session(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session.create()
    return session.session_key


# --- back-channel logout -------------------------------------------------------------------


def test_a_valid_logout_token_ends_the_sessions_begun_with_that_provider_session(
    client, work_provider
):
    user = UserFactory()
    ended = ProviderSessionFactory(user=user, sid="sid-one", session_key=_signed_in_session(user))
    other = ProviderSessionFactory(user=user, sid="sid-two", session_key=_signed_in_session(user))
    response = client.post(LOGOUT_URL, {"logout_token": work_provider.logout_token(sid="sid-one")})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not SessionStore().exists(ended.session_key)
    assert SessionStore().exists(other.session_key)
    ended.refresh_from_db()
    assert ended.ended_at is not None
    assert AuditEvent.objects.filter(
        action="auth.provider_logout", target_id=str(ended.pk)
    ).exists()


def test_a_logout_token_with_only_sub_ends_every_session_of_that_person(client, work_provider):
    user = UserFactory()
    rows = [
        ProviderSessionFactory(user=user, subject="sub-x", session_key=_signed_in_session(user))
        for _ in range(2)
    ]
    token = work_provider.logout_token(sub="sub-x")
    assert client.post(LOGOUT_URL, {"logout_token": token}).status_code == 200
    assert not any(SessionStore().exists(r.session_key) for r in rows)


@pytest.mark.parametrize(
    "change",
    [
        {"aud": "someone-else"},
        {"iss": "http://127.0.0.1:1/o"},
        {"events": None},
        {"events": {"http://schemas.openid.net/event/other": {}}},
        {"nonce": "n-0S6_WzA2Mj"},
        {"iat": 1_000_000_000},
        {"jti": None},
        {"sid": None, "sub": None},
        {"key": "another"},
    ],
    ids=[
        "wrong-audience",
        "wrong-issuer",
        "no-events",
        "other-event",
        "nonce",
        "too-old",
        "no-jti",
        "no-sid-or-sub",
        "other-key",
    ],
)
def test_a_bad_logout_token_ends_nothing(client, work_provider, change):
    from tests.oidc_provider.harness import rsa_pem

    user = UserFactory()
    row = ProviderSessionFactory(user=user, sid="sid-keep", session_key=_signed_in_session(user))
    claims = {"sid": "sid-keep", **change}
    if claims.pop("key", None):
        claims["key_pem"] = rsa_pem()
    response = client.post(LOGOUT_URL, {"logout_token": work_provider.logout_token(**claims)})
    assert response.status_code == 400
    assert SessionStore().exists(row.session_key)


def test_a_replayed_logout_token_is_refused(client, work_provider):
    token = work_provider.logout_token(sid="sid-replay")
    assert client.post(LOGOUT_URL, {"logout_token": token}).status_code == 200
    assert client.post(LOGOUT_URL, {"logout_token": token}).status_code == 400


def test_logout_endpoint_refuses_an_unsigned_token_and_unknown_providers(client, work_provider):
    import jwt

    unsigned = jwt.encode(
        {"iss": work_provider.issuer, "aud": work_provider.client_id, "sid": "s"},
        key="",
        algorithm="none",
    )
    assert client.post(LOGOUT_URL, {"logout_token": unsigned}).status_code == 400
    assert client.post(LOGOUT_URL, {}).status_code == 400
    assert client.get(LOGOUT_URL).status_code == 405
    assert client.post("/signin/oidc/nobody/backchannel-logout/").status_code == 404


def test_an_id_token_for_another_audience_is_refused(rf, work_provider):
    """allauth checks the ID token's audience against our client id (with the provider's keys)."""
    import jwt
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.providers.oauth2.client import OAuth2Error
    from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

    request = rf.get("/")
    app = get_adapter().get_app(request, provider=PROVIDER_ID)
    adapter = OpenIDConnectOAuth2Adapter(request, PROVIDER_ID)
    adapter.did_fetch_access_token = False

    def token(aud):
        now = int(time.time())
        claims = {"iss": work_provider.issuer, "aud": aud, "sub": "1", "iat": now, "exp": now + 60}
        return jwt.encode(
            claims, work_provider.key_pem, algorithm="RS256", headers={"kid": work_provider.kid()}
        )

    assert adapter._decode_id_token(app, token(work_provider.client_id))["sub"] == "1"
    with pytest.raises(OAuth2Error):
        adapter._decode_id_token(app, token("another-client"))


def test_a_forged_state_signs_nobody_in(client, work_provider):
    response = client.get(
        f"/accounts/oidc/{PROVIDER_ID}/login/callback/", {"code": "abc", "state": "forged"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 401  # allauth: the login failed
    assert not SocialAccount.objects.exists()


# --- linking: verified email only ------------------------------------------------------------


def _social_login(email, *, verified=None, amr=("pwd",), uid="uid-1"):
    from learning.models import User

    id_token = {"sub": uid, "email": email, "amr": list(amr), "sid": "sid-" + uid}
    if verified is not None:
        id_token["email_verified"] = verified
    account = SocialAccount(provider=PROVIDER_ID, uid=uid, extra_data={"id_token": id_token})
    addresses = [EmailAddress(email=email, verified=bool(verified), primary=True)]
    return SocialLogin(account=account, user=User(email=email), email_addresses=addresses)


def _request():
    from django.contrib.sessions.backends.db import SessionStore as DbSession

    request = RequestFactory().get("/")
    request.session = DbSession()
    return request


def test_first_signin_links_to_the_account_with_the_same_verified_email(work_provider):
    OrganisationEmailDomainFactory(domain="trust.nhs.test")
    owner = UserFactory(email="amy@trust.nhs.test")
    login = _social_login("amy@trust.nhs.test")  # no email_verified claim: the domain vouches
    request = _request()
    SocialAccountAdapter(request).pre_social_login(request, login)
    assert SocialAccount.objects.get(uid="uid-1").user == owner
    assert request.session[PENDING_PROVIDER_SIGNIN]["user_id"] == owner.pk
    assert AuditEvent.objects.filter(action="auth.provider_link", actor=owner).exists()


def test_an_unverified_address_is_never_linked(work_provider):
    OrganisationEmailDomainFactory(domain="trust.nhs.test")
    UserFactory(email="ben@trust.nhs.test", verified=False)
    EmailAddress.objects.create(
        user=EmailAddress.objects.model._meta.get_field("user").related_model.objects.get(
            email="ben@trust.nhs.test"
        ),
        email="ben@trust.nhs.test",
        verified=False,
    )
    request = _request()
    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter(request).pre_social_login(request, _social_login("ben@trust.nhs.test"))
    assert refused.value.response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_a_provider_that_does_not_verify_the_address_cannot_link_or_sign_up(work_provider):
    UserFactory(email="eve@example.test")
    request = _request()
    for email in ("eve@example.test", "new@example.test"):
        with pytest.raises(ImmediateHttpResponse):
            SocialAccountAdapter(request).pre_social_login(
                request, _social_login(email, verified=False)
            )
    assert not SocialAccount.objects.exists()
    assert PENDING_PROVIDER_SIGNIN not in request.session


@pytest.mark.parametrize(
    ("trust", "amr", "expected"),
    [(True, ["pwd", "mfa"], True), (False, ["pwd", "mfa"], False), (True, ["pwd"], False)],
)
def test_the_mfa_claim_counts_only_from_a_trusted_provider(settings, trust, amr, expected):
    settings.HOPE_OIDC_PROVIDERS = [
        {"id": "p", "server_url": "https://id.example", "client_id": "c", "trust_mfa": trust}
    ]
    assert config.claims_assert_mfa(config.provider("p"), {"amr": amr}) is expected


def test_a_deployment_can_name_its_own_mfa_claim(settings):
    settings.HOPE_OIDC_PROVIDERS = [
        {
            "id": "p",
            "server_url": "https://id.example",
            "client_id": "c",
            "trust_mfa": True,
            "mfa_claim": "acrs",
            "mfa_values": ["c1"],
        }
    ]
    provider = config.provider("p")
    assert config.claims_assert_mfa(provider, {"acrs": ["c1"]})
    assert not config.claims_assert_mfa(provider, {"amr": ["mfa"]})


def test_recording_a_signin_sets_mfa_joins_once_and_audits(work_provider):
    link = OrganisationEmailDomainFactory(
        domain="council.gov.test", organisation__join_on_provider_signin=True
    )
    user = UserFactory(email="dan@council.gov.test")
    request = _request()
    request.session.create()
    provider_signin_record(
        request=request,
        user=user,
        provider_id=PROVIDER_ID,
        subject="s",
        sid="x",
        mfa=True,
        ip_address="127.0.0.1",
    )
    assert request.session[MFA_OK] is True
    assert request.session[PROVIDER_SESSION]["provider"] == PROVIDER_ID
    membership = Membership.objects.get(user=user, organisation=link.organisation)
    assert membership.role == Role.PRACTITIONER
    assert AuditEvent.objects.filter(action="auth.provider_signin", actor=user).count() == 1
    membership.ended_on = membership.started_on
    membership.save()
    provider_signin_record(
        request=request,
        user=user,
        provider_id=PROVIDER_ID,
        subject="s",
        sid="y",
        mfa=False,
        ip_address=None,
    )
    assert Membership.objects.filter(user=user, organisation=link.organisation).count() == 1


def test_no_joining_unless_the_organisation_allows_it(work_provider):
    link = OrganisationEmailDomainFactory(domain="council.gov.test")
    user = UserFactory(email="dan@council.gov.test")
    request = _request()
    request.session.create()
    provider_signin_record(
        request=request,
        user=user,
        provider_id=PROVIDER_ID,
        subject="s",
        sid="",
        mfa=False,
        ip_address=None,
    )
    assert not Membership.objects.filter(organisation=link.organisation).exists()
    assert MFA_OK not in request.session


# --- domain routing ------------------------------------------------------------------------


def test_the_work_signin_page_sends_people_to_their_domains_provider(client, work_provider):
    OrganisationEmailDomainFactory(domain="trust.nhs.test")
    page = client.get(reverse("signin_work"))
    assert page.status_code == 200
    assert work_provider.origin in page["Content-Security-Policy"]
    response = client.post(reverse("signin_work"), {"email": "Amy@Trust.nhs.test"})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}" == work_provider.origin
    query = parse_qs(target.query)
    assert query["client_id"] == [work_provider.client_id]
    assert "openid" in query["scope"][0].split()
    assert query["code_challenge_method"] == ["S256"]


def test_an_address_at_an_unlinked_domain_is_told_to_use_a_password(client, work_provider):
    response = client.post(reverse("signin_work"), {"email": "someone@elsewhere.test"})
    assert response.status_code == 400
    assert "has not set up work account sign-in" in response.content.decode()


# --- leavers --------------------------------------------------------------------------------


def test_password_signin_and_reset_are_refused_where_the_work_account_is_required(
    client, work_provider
):
    OrganisationEmailDomainFactory(domain="trust.nhs.test", require_provider=True)
    UserFactory(email="leaver@trust.nhs.test")
    response = client.post(
        reverse("account_login"), {"login": "leaver@trust.nhs.test", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "sign in with your work account" in response.content.decode()
    response = client.post(reverse("account_reset_password"), {"email": "leaver@trust.nhs.test"})
    assert "sign in with your work account" in response.content.decode()
    from django.core import mail

    assert mail.outbox == []


def test_password_signin_still_works_at_other_domains(client, work_provider):
    OrganisationEmailDomainFactory(domain="trust.nhs.test", require_provider=True)
    user = UserFactory(email="someone@council.gov.test")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


# --- the 12-hour re-check -----------------------------------------------------------------


def test_a_provider_session_is_confirmed_again_after_twelve_hours(client, work_provider):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session[PROVIDER_SESSION] = {"provider": PROVIDER_ID, "confirmed_at": time.time() - 11 * 3600}
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session[PROVIDER_SESSION] = {"provider": PROVIDER_ID, "confirmed_at": time.time() - 13 * 3600}
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("signin_work_recheck")
    assert "_auth_user_id" not in client.session
    response = client.get(response["Location"])
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["prompt"] == ["none"]
    assert response["Location"].startswith(work_provider.origin)


def test_the_recheck_page_does_nothing_without_a_recheck_due(client, work_provider):
    response = client.get(reverse("signin_work_recheck"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")


# --- the members page -----------------------------------------------------------------------


def test_the_members_page_shows_how_each_member_signs_in(client, organisation):
    from allauth.mfa.models import Authenticator

    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    worker = MembershipFactory(organisation=organisation, user__display_name="Work Person").user
    worker.set_unusable_password()
    worker.save()
    SocialAccount.objects.create(user=worker, provider=PROVIDER_ID, uid="w1")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.WEBAUTHN, data={})
    client.force_login(admin)
    html = client.get(reverse("organisation_members", args=[organisation.slug])).content.decode()
    assert "Password, Passkey" in html
    assert ">Work account<" in html


def test_provider_sessions_are_in_the_person_s_data_export(work_provider):
    from learning.privacy import handlers

    labels = {h.label for h in handlers()}
    assert {"learning.providersession", "socialaccount.socialaccount"} <= labels
    user = UserFactory()
    ProviderSessionFactory(user=user, session_key="secret-session-key")
    handler = next(h for h in handlers() if h.label == "learning.providersession")
    rows = handler.export(user)
    assert rows and "session_key" not in rows[0]
    handler.erase(user)
    assert not ProviderSession.objects.filter(user=user).exists()


def test_an_organisation_domain_is_stored_in_lower_case_without_at():
    from django.db import IntegrityError, transaction

    organisation = OrganisationFactory()
    for bad in ("Trust.NHS.test", "@trust.nhs.test", ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            OrganisationEmailDomainFactory(organisation=organisation, domain=bad)


# --- the Wagtail admin's Organisations screen --------------------------------------------------


def test_superusers_link_email_domains_to_an_organisation_in_the_admin(client, people):
    from learning.models import Organisation, OrganisationEmailDomain

    organisation = OrganisationFactory(slug="linked-org")
    client.force_login(people["superuser"])
    url = f"/admin/organisations/edit/{organisation.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Work account sign-in" in page.content.decode()
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "region": organisation.region,
        "safeguarding_route": "Call the lead.",
        "signin_provider": PROVIDER_ID,
        "join_on_provider_signin": "on",
        "email_domains-TOTAL_FORMS": "1",
        "email_domains-INITIAL_FORMS": "0",
        "email_domains-MIN_NUM_FORMS": "0",
        "email_domains-MAX_NUM_FORMS": "1000",
        "email_domains-0-domain": " @Linked.NHS.test",
        "email_domains-0-require_provider": "on",
        "email_domains-0-id": "",
        "email_domains-0-ORDER": "1",
        "email_domains-0-DELETE": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.signin_provider == PROVIDER_ID and organisation.join_on_provider_signin
    domain = OrganisationEmailDomain.objects.get(organisation=organisation)
    assert (domain.domain, domain.require_provider) == ("linked.nhs.test", True)
