"""Pages of "your data": download with progress (no JavaScript needed), delete the account after
re-authentication. Every page view has a pinned query count."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from learning.models import AuditEvent, DataExport, Role

from .factories import MembershipFactory, UserFactory
from .journal_factories import make_entry
from .matrix_rows.privacy import ready_data_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(organisation):
    return MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user


def _reauthenticated(client, user):
    """What allauth records when someone has just typed their password."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()


def test_home_lists_own_downloads_only(client, person, django_assert_num_queries):
    mine = ready_data_export(person)
    theirs = ready_data_export(UserFactory())
    client.force_login(person)
    # A cold cache: the header's roles, facilitation check and unread count are read once.
    with django_assert_num_queries(6):
        response = client.get(reverse("data_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("data_export_detail", args=[mine.pk]) in html
    assert reverse("data_export_detail", args=[theirs.pk]) not in html
    assert reverse("account_delete") in html


def test_asking_for_a_download_builds_it_and_shows_a_link(
    client, person, django_capture_on_commit_callbacks
):
    make_entry(person)
    _reauthenticated(client, person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("data_export_request"))
    export = DataExport.objects.get(user=person)
    assert response.url == reverse("data_export_detail", args=[export.pk])
    page = client.get(response.url).content.decode()
    assert reverse("data_export_file", args=[export.pk]) in page
    download = client.get(reverse("data_export_file", args=[export.pk]))
    assert download["Content-Type"] == "application/zip"
    assert download["Cache-Control"].startswith("private, no-store")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"data.export_requested", "data.export_ready", "data.export_downloaded"} <= actions


def test_progress_page_refreshes_itself_without_javascript(
    client, person, django_assert_num_queries
):
    export = DataExport.objects.create(
        user=person, progress=50, status="running", expires_at="2099-01-01T00:00Z"
    )
    client.force_login(person)
    # export, roles and the facilitation check for the nav, the unread count
    with django_assert_num_queries(6):
        response = client.get(reverse("data_export_detail", args=[export.pk]))
    html = response.content.decode()
    # No timed refresh (a WCAG failure): the script polls, and without it a button reloads.
    assert "http-equiv" not in html
    assert ">Check again</button>" in html
    assert 'value="50"' in html
    with django_assert_num_queries(1):  # the export (the person's row is cached)
        status = client.get(reverse("data_export_status", args=[export.pk])).json()
    assert status == {"status": "running", "progress": 50, "ready": False, "download_url": ""}
    # Not ready yet: the file link goes back to the progress page.
    assert client.get(reverse("data_export_file", args=[export.pk])).status_code == 302


def test_ready_download_pinned(client, person, django_assert_num_queries):
    export = ready_data_export(person)
    client.force_login(person)
    with django_assert_num_queries(3):  # user, export, audit row (the file streams after)
        response = client.get(reverse("data_export_file", args=[export.pk]))
    assert response.status_code == 200


def test_rate_limited_request_says_when_to_try_again(client, person, settings):
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "export": "1/1h"}
    _reauthenticated(client, person)
    assert client.post(reverse("data_export_request")).status_code == 302
    response = client.post(reverse("data_export_request"))
    assert response.status_code == 429
    assert "then try again" in response.content.decode()
    assert DataExport.objects.filter(user=person).count() == 1


def test_a_download_needs_the_password_typed_again(client, person):
    client.force_login(person)  # signed in, but not in the last few minutes
    response = client.post(reverse("data_export_request"))
    assert response.status_code == 302 and "reauthenticate" in response.url
    assert not DataExport.objects.filter(user=person).exists()


def test_delete_needs_a_recent_sign_in(client, person):
    client.force_login(person)
    response = client.get(reverse("account_delete"))
    assert response.status_code == 302
    assert "reauthenticate" in response.url


def test_delete_page_explains_and_asks_to_confirm(client, person, django_assert_num_queries):
    _reauthenticated(client, person)
    # three two-factor checks, roles, the facilitation check, unread count
    with django_assert_num_queries(8):
        response = client.get(reverse("account_delete"))
    html = response.content.decode()
    assert "What we erase" in html and "What we keep, and why" in html
    assert "A former member" in html and "A former supervisor" in html
    response = client.post(reverse("account_delete"), {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active


def test_delete_signs_out_and_erases(client, person, django_capture_on_commit_callbacks):
    make_entry(person)
    _reauthenticated(client, person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_delete"), {"confirm": "on"})
    assert response.url == reverse("account_deleted")
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    connection.check_constraints()
    assert client.get(reverse("data_home")).status_code == 302  # signed out
    assert client.get(reverse("account_deleted")).status_code == 200


def test_org_admin_cannot_reach_a_members_data(client, organisation, person):
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    export = ready_data_export(person)
    entry = make_entry(person)
    client.force_login(admin)
    assert client.get(reverse("data_export_file", args=[export.pk])).status_code == 404
    assert client.get(reverse("journal_detail", args=[entry.pk])).status_code == 404


def test_erasure_signs_the_person_out_on_every_device(
    client, person, django_capture_on_commit_callbacks
):
    from django.test import Client

    other_device = Client()
    other_device.force_login(person)
    assert other_device.get(reverse("data_home")).status_code == 200
    _reauthenticated(client, person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_delete"), {"confirm": "on"})
    assert other_device.get(reverse("data_home")).status_code == 302
    from django.contrib.sessions.models import Session

    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
