"""A sentinel written into journal text (the private narrative, the learning summary, the note to
the supervisor) appears nowhere it should not: logs, emails, Celery task arguments, audit rows,
notifications, error pages, or any table of the raw database other than as ciphertext."""

from __future__ import annotations

import logging

import pytest
from celery.app.task import Task
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from learning.models import AuditEvent, Notification
from reflection.models import JournalEntry, SignOffRequest

pytestmark = pytest.mark.django_db

SENTINEL = "MARMOSET-SENTINEL-55821"


@pytest.fixture
def task_calls(monkeypatch):
    calls: list[tuple] = []
    original = Task.apply_async

    def recording(self, args=None, kwargs=None, **options):
        calls.append((self.name, args, kwargs))
        return original(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", recording)
    return calls


def _all_tables() -> str:
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from introspection)
            dump.append(repr(cursor.fetchall()))
    return "\n".join(dump)


def test_sentinel_goes_nowhere_through_write_share_sign_and_notify(
    client, people, caplog, task_calls, django_capture_on_commit_callbacks
):
    author, supervisor = people["practitioner"], people["supervisor"]
    supervisor.email_notifications = "daily"
    supervisor.save(update_fields=["email_notifications"])
    client.force_login(author)
    with caplog.at_level(logging.DEBUG):
        # Each step commits (and runs its tasks) before the next, as in production.
        step = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
        with step():
            client.post(
                reverse("journal_new"),
                {
                    "model": "gibbs",
                    "title": "After the hearing",
                    "experienced_on_day": "10",
                    "experienced_on_month": "1",
                    "experienced_on_year": "2026",
                    "section-description": f"We met after the hearing. {SENTINEL}",
                    "summary": f"Ask for supervision sooner. {SENTINEL}",
                },
            )
        entry = JournalEntry.objects.get()
        with step():
            client.post(
                reverse("journal_autosave"),
                {"entry": entry.pk, "section-feelings": f"Autosaved {SENTINEL}"},
            )
        with step():
            share = client.post(
                reverse("journal_share", args=[entry.pk]),
                {"supervisor": supervisor.pk, "note": f"Tuesday? {SENTINEL}"},
            )
        assert share.status_code == 302
        request = SignOffRequest.objects.get()
        from learning import tasks

        # The supervisor's daily email goes while the request waits (once it is signed, the
        # notice is done and no longer in the digest).
        with step():
            tasks.notification_digests_send()
        client.force_login(supervisor)
        with step():
            client.post(
                reverse("signoff_detail", args=[request.pk]),
                {"action": "sign", "comment": "Thoughtful."},
            )
        # Error pages: someone else's entry, with the sentinel in what they post.
        other = Client()
        other.force_login(people["org_admin"])
        for response in (
            other.get(reverse("journal_detail", args=[entry.pk])),
            other.post(reverse("journal_edit", args=[entry.pk]), {"title": SENTINEL}),
            other.get(reverse("signoff_detail", args=[request.pk])),
        ):
            assert response.status_code == 404
            assert SENTINEL not in response.content.decode()

    # Things did happen...
    assert Notification.objects.filter(recipient=supervisor, kind="signoff.waiting").exists()
    assert Notification.objects.filter(recipient=author, kind="signoff.decided").exists()
    assert len(mail.outbox) >= 2 and task_calls
    assert AuditEvent.objects.filter(action="signoff.signed_off").exists()
    # ...and the sentinel is in none of them.
    assert SENTINEL not in caplog.text
    for email in mail.outbox:
        assert SENTINEL not in email.subject and SENTINEL not in email.body
    assert SENTINEL not in repr(task_calls)
    assert SENTINEL not in repr(list(AuditEvent.objects.values()))
    assert SENTINEL not in repr(list(Notification.objects.values()))
    assert SENTINEL not in _all_tables()


def test_what_would_be_sent_to_sentry_holds_no_sentinel(people, monkeypatch):
    """An error while saving journal text reaches Sentry (through a transport stub) with where
    it happened, and without the text: no request body, cookies, local variables or headers
    that carry secrets."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from learning.observability import sentry_init
    from reflection.journal import services

    envelopes: list[bytes] = []

    class CaptureTransport(Transport):
        def capture_envelope(self, envelope):
            envelopes.append(envelope.serialize())

    def failing_create(**kwargs):
        text = repr(kwargs)  # a local variable holding the sentinel
        raise RuntimeError(f"database went away ({len(text)} characters not saved)")

    monkeypatch.setattr(services, "journal_entry_create", failing_create)
    sentry_init(
        dsn="https://public@sentry.invalid/1", environment="test", transport=CaptureTransport()
    )
    try:
        client = Client(raise_request_exception=False)
        client.force_login(people["practitioner"])
        client.cookies["note"] = SENTINEL
        response = client.post(
            reverse("journal_new"),
            {
                "model": "gibbs",
                "title": f"After the hearing {SENTINEL}",
                "experienced_on_day": "10",
                "experienced_on_month": "1",
                "experienced_on_year": "2026",
                "section-description": f"We met after the hearing. {SENTINEL}",
                "summary": f"Ask for supervision sooner. {SENTINEL}",
            },
            HTTP_AUTHORIZATION=f"Bearer {SENTINEL}",
        )
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
    assert response.status_code == 500
    sent = b"\n".join(envelopes).decode("utf-8")
    assert "RuntimeError" in sent and "database went away" in sent  # the error did go
    assert "journal_new" in sent or "/journal/new/" in sent
    assert SENTINEL not in sent
    assert "sessionid" not in sent and "csrftoken" not in sent
