"""Security headers on every HTML response, the admins included."""

from __future__ import annotations

import pytest

from learning.security import admin_policy

from .factories import UserFactory


def test_the_admin_policy_allows_scripts_from_this_site_only():
    script_src = admin_policy().split("script-src ")[1].split(";")[0]
    assert script_src == "'self'"
    assert "object-src 'none'" in admin_policy()


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
    # Wagtail's date pickers are started from data attributes, never inline script; a script
    # shaped exactly like Wagtail's initialiser would not run either.
    edit = client.get(f"/admin/pages/{home_page.pk}/edit/")
    html = edit.content.decode()
    assert "'sha256-" not in edit["Content-Security-Policy"]
    assert "initDateTimeChooser(" not in html
    assert 'data-hope-chooser="initDateTimeChooser"' in html
    assert "js/admin-choosers.js" in html


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


@pytest.mark.django_db
def test_pages_load_nothing_from_a_third_party_host(client, home_page):
    """The NHS.UK stylesheet is built without its web fonts (which come from assets.nhs.uk), and
    the policy allows fonts from this site only."""
    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    assert "/static/build/nhsuk-frontend.min.css" in html
    css = open(finders.find("build/nhsuk-frontend.min.css"), encoding="utf-8").read()  # noqa: SIM115
    assert "@font-face" not in css and "assets.nhs.uk" not in css
    assert ".nhsuk-header" in css
    policy = client.get("/")["Content-Security-Policy"]
    font_src = policy.split("font-src ")[1].split(";")[0]
    assert "https:" not in font_src and "assets.nhs.uk" not in policy
