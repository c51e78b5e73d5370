"""The N+1 detector is live across the test run: a deliberate N+1 is detected, and fails the
test, in a test body, in a production service called directly, in a view through the test client,
in a view served by the live server's own thread, and in a Celery task; the fixed patterns
(select_related, prefetch_related, one query for many rows) are not."""

from __future__ import annotations

import contextlib
import threading
import urllib.request

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from zeal.listeners import _nplusone_context

from learning import services
from learning.celery import app
from learning.models import Membership, Organisation, Role

from .factories import MembershipFactory, OrganisationFactory, add_to_group


def _three_memberships():
    organisation = OrganisationFactory()
    return [MembershipFactory(organisation=organisation) for _ in range(3)]


def _n_plus_one_view(request):
    names = [membership.user.display_name for membership in Membership.objects.all()]
    return HttpResponse(", ".join(names))


def _fixed_view(request):
    names = [m.user.display_name for m in Membership.objects.select_related("user")]
    counts = [
        len(o.memberships.all()) for o in Organisation.objects.prefetch_related("memberships")
    ]
    return HttpResponse(f"{', '.join(names)} {counts}")


urlpatterns = [
    path("n-plus-one/", _n_plus_one_view),
    path("fixed/", _fixed_view),
]


@app.task(name="tests.nplusone_probe")
def _n_plus_one_task():
    return [membership.user.display_name for membership in Membership.objects.all()]


def test_the_settings_wire_the_detector_into_every_request():
    assert "zeal" in settings.INSTALLED_APPS
    assert settings.MIDDLEWARE[0] == "learning.settings.test.nplusone_middleware"
    # Detections are signalled and recorded (tests/conftest.py), not raised where they happen.
    assert settings.ZEAL_RAISE is False
    assert getattr(settings, "ZEAL_NPLUSONE_THRESHOLD", 2) == 2


@pytest.mark.django_db
def test_a_relation_loaded_in_a_loop_is_detected(nplusone_detections):
    _three_memberships()
    [membership.user.display_name for membership in Membership.objects.all()]
    assert len(nplusone_detections) == 1
    assert "learning.Membership.user" in nplusone_detections[0]
    nplusone_detections.clear()


@pytest.mark.django_db
def test_an_error_the_code_swallows_still_fails_the_test(nplusone_detections):
    _three_memberships()
    with contextlib.suppress(Exception):  # the point: code that swallows errors
        [membership.organisation.name for membership in Membership.objects.all()]
    assert len(nplusone_detections) == 1
    assert "learning.Membership.organisation" in nplusone_detections[0]
    nplusone_detections.clear()


@pytest.mark.django_db
def test_the_fixed_patterns_do_not_raise(nplusone_detections):
    _three_memberships()
    names = [m.user.display_name for m in Membership.objects.select_related("user")]
    counts = [
        len(o.memberships.all()) for o in Organisation.objects.prefetch_related("memberships")
    ]
    single = Membership.objects.select_related("organisation").first()
    assert len(names) == 3 and 3 in counts and single.organisation.name
    assert nplusone_detections == []


@pytest.mark.django_db
def test_building_data_and_calling_services_from_a_test_are_not_n_plus_one(
    nplusone_detections,
):
    # Builders get rows one at a time by design; each is test set-up, not a request path.
    for membership in _three_memberships():
        add_to_group(membership.user, f"group-{membership.pk}")
    assert nplusone_detections == []


@pytest.mark.django_db
def test_a_service_called_directly_in_a_loop_is_detected(nplusone_detections):
    """No wrapping: the test's own zeal_context() counts what the production service does."""
    memberships = _three_memberships()
    admin = MembershipFactory(organisation=memberships[0].organisation, role=Role.ORG_ADMIN).user
    assert services.membership_end.__module__ == "learning.services"  # the real function
    for membership in Membership.objects.filter(pk__in=[m.pk for m in memberships]):
        services.membership_end(actor=admin, membership=membership)
    assert any("learning.Membership.organisation" in found for found in nplusone_detections)
    assert any("learning/services.py" in found for found in nplusone_detections)
    nplusone_detections.clear()


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_view_with_an_n_plus_one_is_detected_through_the_test_client(client, nplusone_detections):
    _three_memberships()
    assert client.get("/fixed/").status_code == 200
    assert nplusone_detections == []
    client.get("/n-plus-one/")
    assert any("learning.Membership.user" in found for found in nplusone_detections)
    nplusone_detections.clear()


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_two_requests_in_one_test_do_not_add_up(client, nplusone_detections):
    OrganisationFactory()
    MembershipFactory()
    # One membership: each request loads one user; the middleware gives each its own count.
    assert client.get("/n-plus-one/").status_code == 200
    assert client.get("/n-plus-one/").status_code == 200
    assert nplusone_detections == []


def test_a_new_thread_starts_without_the_tests_context():
    """Why the middleware is needed: the live server answers in threads of its own, and a new
    thread starts with an empty context, so the test's zeal_context() does not reach it."""
    assert _nplusone_context.get().enabled
    seen = []
    thread = threading.Thread(target=lambda: seen.append(_nplusone_context.get().enabled))
    thread.start()
    thread.join()
    assert seen == [False]


@pytest.mark.urls(__name__)
def test_the_live_server_thread_is_covered(live_server, nplusone_detections):
    _three_memberships()
    with urllib.request.urlopen(f"{live_server.url}/fixed/") as response:  # noqa: S310
        assert response.status == 200
    assert nplusone_detections == []
    with urllib.request.urlopen(f"{live_server.url}/n-plus-one/") as response:  # noqa: S310
        assert response.status == 200
    assert any("learning.Membership.user" in found for found in nplusone_detections)
    nplusone_detections.clear()


@pytest.mark.django_db
def test_an_eager_celery_task_with_an_n_plus_one_is_detected(nplusone_detections):
    _three_memberships()
    _n_plus_one_task.delay()
    assert any("learning.Membership.user" in found for found in nplusone_detections)
    nplusone_detections.clear()


@pytest.mark.django_db(transaction=True)
def test_a_task_run_outside_any_test_context_is_covered(nplusone_detections):
    """A task gets its own context from the task_prerun signal, even in a fresh thread."""
    _three_memberships()

    def run():
        try:
            _n_plus_one_task.apply()
        finally:
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert any("learning.Membership.user" in found for found in nplusone_detections)
    nplusone_detections.clear()
