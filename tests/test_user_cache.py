"""The signed-in person's row is kept in the cache between requests (learning/user_cache.py,
learning/auth_backends.py), and no change to it is ever missed: every way of writing the user
table forgets the copy, and a deactivated person is stopped on their very next request."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.details.services import details_language_set
from learning.models import User
from learning.privacy.services import account_erasure_request
from learning.user_cache import keep_user, kept_user

from .factories import UserFactory

pytestmark = pytest.mark.django_db

USER_TABLE = f'"{User._meta.db_table}"'


def _user_reads(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and f"FROM {USER_TABLE}" in q["sql"]
    ]


@pytest.fixture
def signed_in(client):
    user = UserFactory()
    client.force_login(user)
    return client, user


def test_a_signed_in_page_reads_the_person_from_the_cache(signed_in):
    client, user = signed_in
    url = reverse("account_details")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert _user_reads(queries) == []
    assert kept_user(user.pk).email == user.email


def test_deactivating_by_update_stops_the_person_at_once(signed_in):
    client, user = signed_in
    url = reverse("account_details")
    assert client.get(url).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_asking_for_erasure_signs_the_person_out_everywhere_at_once(signed_in, client):
    other, user = signed_in
    assert other.get(reverse("account_details")).status_code == 200
    account_erasure_request(user=User.objects.get(pk=user.pk))
    assert other.get(reverse("account_details")).status_code == 302


def test_a_password_change_by_save_ends_other_sessions_at_once(signed_in):
    client, user = signed_in
    url = reverse("account_details")
    assert client.get(url).status_code == 200
    row = User.objects.get(pk=user.pk)
    row.set_password("a-new-long-password-2026")
    row.save()
    assert client.get(url).status_code == 302


def test_a_language_change_is_seen_on_the_next_page(signed_in):
    client, user = signed_in
    url = reverse("account_details")
    assert client.get(url)["Content-Language"] != "cy"
    details_language_set(user=User.objects.get(pk=user.pk), language="cy")
    assert client.get(url)["Content-Language"] == "cy"


def test_deleting_by_queryset_forgets_the_copy(signed_in):
    client, user = signed_in
    client.get(reverse("account_details"))
    assert kept_user(user.pk) is not None
    User.objects.filter(pk=user.pk).delete()
    assert kept_user(user.pk) is None
    assert client.get(reverse("account_details")).status_code == 302


def test_a_copy_put_back_before_the_change_commits_is_forgotten_at_commit(
    django_capture_on_commit_callbacks,
):
    """A request that read the old row while the change was still uncommitted may keep it;
    the commit forgets it again."""
    user = UserFactory()
    old = User.objects.get(pk=user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.filter(pk=user.pk).update(display_name="Changed")
        keep_user(old)  # the other request, between the write and the commit
        assert kept_user(user.pk) is not None
    assert kept_user(user.pk) is None


def test_a_session_naming_the_library_backend_stays_signed_in(client):
    user = UserFactory()
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get(reverse("account_details")).status_code == 200
    assert SessionStore(session.session_key).load()[BACKEND_SESSION_KEY] == (
        "learning.auth_backends.ModelBackend"
    )
