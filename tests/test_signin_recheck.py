"""The work-account re-check without a browser: a provider that cannot confirm the session
silently leaves the person signed out with a clear message and a way back to where they were;
a form caught by the re-check keeps what the person was writing, bound to their account."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from learning.models import Role
from learning.signin.services import PROVIDER_SESSION
from learning.signin.views import RECHECK
from tests.factories import MembershipFactory, UserFactory
from tests.oidc_provider.fixtures import PROVIDER_ID, configure, oidc_provider  # noqa: F401

pytestmark = pytest.mark.django_db

CALLBACK = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"


@pytest.fixture
def work_provider(settings, oidc_provider):  # noqa: F811
    configure(settings, oidc_provider)
    return oidc_provider


def _due(client) -> None:
    session = client.session
    session[PROVIDER_SESSION] = {"provider": PROVIDER_ID, "confirmed_at": time.time() - 13 * 3600}
    session.save()


def test_a_provider_that_cannot_confirm_silently_leaves_them_signed_out_with_a_message(
    client, work_provider
):
    client.force_login(UserFactory())
    _due(client)
    assert client.get("/journal/?page=2")["Location"] == reverse("signin_work_recheck")
    to_provider = client.get(reverse("signin_work_recheck"))["Location"]
    state = parse_qs(urlsplit(to_provider).query)["state"][0]
    response = client.get(CALLBACK, {"error": "login_required", "state": state})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("signin_work")
    assert parse_qs(location.query)["next"] == ["/journal/?page=2"]
    page = client.get(response["Location"]).content.decode()
    assert "your work account session has ended" in page
    assert 'name="next" value="/journal/?page=2"' in page
    assert "_auth_user_id" not in client.session


def test_a_form_caught_by_the_recheck_keeps_the_writing_for_its_writer(client, work_provider):
    writer = MembershipFactory(role=Role.PRACTITIONER).user
    client.force_login(writer)
    _due(client)
    response = client.post(
        "/journal/new/?model=free",
        {"model": "free", "title": "Handover", "body": "What I noticed."},
    )
    assert response["Location"] == reverse("signin_work_recheck")
    pending = client.session[RECHECK]
    assert pending["kept"] is True
    assert pending["next"].startswith("/journal/new/")
    from reflection.journal.drafts import KEPT_KEY

    assert client.session[KEPT_KEY]["owner"] == writer.pk
    # The kept-text note for a sign-in page is not shown: the re-check says what it needs.
    assert "we kept what you wrote" not in client.get(reverse("support")).content.decode()


def test_a_script_s_request_waits_for_the_next_page(client, work_provider):
    """An autosave (a script's request) cannot follow the provider's pages: it carries on, and
    the next page the person opens is re-checked."""
    client.force_login(MembershipFactory(role=Role.PRACTITIONER).user)
    _due(client)
    response = client.get("/journal/", headers={"Sec-Fetch-Mode": "cors"})
    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    navigation = client.get("/journal/", headers={"Sec-Fetch-Mode": "navigate"})
    assert navigation["Location"] == reverse("signin_work_recheck")
