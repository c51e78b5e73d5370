"""The audit log viewer: superusers only, read only, filters, keyset pages, fixed cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from learning.models import AuditEvent
from learning.services import audit_record

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def test_only_superusers_see_it_and_the_cost_is_fixed(
    client, people, superuser, django_assert_num_queries
):
    for n in range(60):
        audit_record(action=f"test.event{n % 3}", actor=people["practitioner"], data={"n": n})
    for role in ("practitioner", "org_admin", "coordinator", "editor"):
        client.force_login(people[role])
        assert client.get(reverse("audit_log")).status_code == 404
    client.force_login(superuser)
    client.get(reverse("audit_log"))
    # one page of events (with actor and organisation joined)
    with django_assert_num_queries(1):
        response = client.get(reverse("audit_log"))
    body = response.content.decode()
    page = response.context["page"]
    assert len(page.items) == 50 and page.next_cursor  # one page of 50, and more after
    assert "Next page" in body and "test.event2" in body
    assert people["practitioner"].email in body


def test_filters_by_action_actor_record_and_dates(client, people, superuser):
    other = people["supervisor"]
    audit_record(action="signoff.shared", actor=people["practitioner"], target=other)
    audit_record(action="signoff.signed_off", actor=other)
    audit_record(action="journal.exported", actor=people["practitioner"])
    old = audit_record(action="signoff.viewed", actor=other)
    from django.db import connection

    with connection.cursor() as cursor:  # ...so backdate it in SQL, as time would
        cursor.execute(
            "UPDATE learning_auditevent SET created_at = %s WHERE id = %s",
            [datetime(2025, 1, 1, tzinfo=UTC) - timedelta(days=1), old.pk],
        )
    client.force_login(superuser)
    url = reverse("audit_log")
    body = client.get(url, {"action": "signoff"}).content.decode()
    assert "signoff.shared" in body and "signoff.signed_off" in body
    assert "journal.exported" not in body
    response = client.get(url, {"actor": people["practitioner"].email})
    actions = {e.action for e in response.context["page"].items}
    assert {"signoff.shared", "journal.exported"} <= actions
    assert "signoff.signed_off" not in actions
    body = client.get(url, {"target": "learning.user"}).content.decode()
    assert "signoff.shared" in body and "journal.exported" not in body
    body = client.get(
        url, {"date_to_day": "31", "date_to_month": "12", "date_to_year": "2024"}
    ).content.decode()
    assert "signoff.viewed" in body and "signoff.shared" not in body


def test_bad_filters_get_a_sentence_and_keep_what_was_typed(client, superuser):
    client.force_login(superuser)
    response = client.get(
        reverse("audit_log"),
        {
            "actor": "not-an-email",
            "date_from_day": "2",
            "date_from_month": "2",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2026",
        },
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The end date must be the same as or after the start." in body
    assert 'value="not-an-email"' in body


def test_the_log_cannot_be_changed_through_the_application(superuser):
    event = audit_record(action="test.event", actor=superuser)
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"
