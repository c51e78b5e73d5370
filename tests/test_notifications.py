"""On-site notifications and how often people are emailed about them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from learning import notify, services, tasks
from learning.models import (
    NOTIFICATION_GROUP_FIELDS,
    AuditEvent,
    Notification,
    NotificationPreference,
)

from .factories import UserFactory

pytestmark = pytest.mark.django_db

SENTINEL = "ZEBRA-NOTIFY-7731"


def send(user, n: int = 1, **kwargs) -> Notification | None:
    kwargs = {
        "recipient": user,
        "kind": "test.waiting",
        "message": lambda: f"Something is waiting for you ({n}).",
        "url": "/dashboard/",
        **kwargs,
    }
    return notify.notify(**kwargs)


def test_send_creates_one_notification_per_dedupe_key(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = send(user, key="due.1")
        again = send(user, key="due.1")
        other = send(user, key="due.2")
    assert first is not None and other is not None and again is None
    assert Notification.objects.filter(recipient=user).count() == 2
    # straight away is the default: one email each, saying only the message and the link
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == [user.email]
    assert "Something is waiting for you (1)." in mail.outbox[0].body
    assert settings.HOPE_BASE_URL + "/dashboard/" in mail.outbox[0].body


def test_send_refuses_links_off_the_site_and_skips_people_who_cannot_sign_in():
    with pytest.raises(ValueError):
        send(UserFactory(), url="https://evil.example/")
    with pytest.raises(ValueError):
        send(UserFactory(), url="//evil.example/")
    assert send(UserFactory(is_active=False)) is None
    assert not Notification.objects.exists()


def test_immediate_email_is_sent_once_even_if_the_task_runs_twice():
    user = UserFactory()
    notification = send(user)
    tasks.notification_email_send(notification.pk)
    tasks.notification_email_send(notification.pk)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_email_when_the_person_chose_never(django_capture_on_commit_callbacks):
    user = UserFactory(email_notifications="off")
    with django_capture_on_commit_callbacks(execute=True):
        send(user)
    assert mail.outbox == []
    assert notify.digest_recipients() == []


def test_daily_summary_is_sent_once_a_day_with_everything_not_yet_emailed(
    django_capture_on_commit_callbacks,
):
    daily = UserFactory(email_notifications="daily")
    other = UserFactory(email_notifications="daily")
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            send(daily, 1)
            send(daily, 2)
            read = send(daily, 3)
            send(other, 1)
        assert mail.outbox == []  # nothing straight away
        services.notification_open(user=daily, notification=read)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.notification_digests_send()
        assert sorted(m.to[0] for m in mail.outbox) == sorted([daily.email, other.email])
        body = next(m.body for m in mail.outbox if m.to == [daily.email])
        assert "(1)" in body and "(2)" in body and "(3)" not in body  # read ones are left out
        # The beat job running again the same day sends nothing more, even with something new.
        with django_capture_on_commit_callbacks(execute=True):
            send(daily, 4)
            tasks.notification_digests_send()
            tasks.notification_digest_send(daily.pk)
        assert len(mail.outbox) == 2
    with time_machine.travel(datetime(2026, 11, 21, 6, 30, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.notification_digests_send()
        assert len(mail.outbox) == 3
        assert "(4)" in mail.outbox[-1].body and "(1)" not in mail.outbox[-1].body
        # Nothing left to send: no empty summary.
        assert notify.digest_recipients() == []


def test_list_shows_only_your_own_notifications_with_a_fixed_cost(
    client, django_assert_num_queries
):
    me, someone = UserFactory(), UserFactory()
    for n in range(30):
        send(me, n)
    send(someone, 99, message=lambda: f"Not for you {SENTINEL}.")
    client.force_login(me)
    url = reverse("notification_list")
    client.get(url)
    # one page of notifications
    with django_assert_num_queries(1):
        response = client.get(url)
    body = response.content.decode()
    assert SENTINEL not in body
    assert "Something is waiting for you (29)." in body
    assert "Something is waiting for you (4)." not in body  # on the next page
    assert "Next page" in body
    cursor_link = body.split('nhsuk-pagination__link--next" href="')[1].split('"')[0]
    second = client.get(url + cursor_link.replace("&amp;", "&")).content.decode()
    assert "Something is waiting for you (4)." in second
    assert "Something is waiting for you (29)." not in second


def test_opening_marks_read_and_follows_the_link_but_only_for_the_recipient(client):
    me, someone = UserFactory(), UserFactory()
    mine = send(me, url="/journal/")
    theirs = send(someone)
    client.force_login(me)
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/journal/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client):
    me, someone = UserFactory(), UserFactory()
    send(me, 1), send(me, 2), send(someone, 3)
    client.force_login(me)
    response = client.post(reverse("notification_read_all"), follow=True)
    assert "All your notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at=None).exists()
    assert Notification.objects.filter(recipient=someone, read_at=None).count() == 1


def test_email_settings_are_saved_audited_and_explained_when_missing(
    client, django_assert_num_queries
):
    me = UserFactory(email_notifications="daily")
    client.force_login(me)
    client.get(reverse("notification_settings"))
    # The person's settings row; roles come from the cache.
    with django_assert_num_queries(1):
        page = client.get(reverse("notification_settings")).content.decode()
    assert page.count('<fieldset class="nhsuk-fieldset"') == 7  # six groups and quiet hours
    assert page.count('value="daily" checked') == 6  # the overall choice until set per group
    response = client.post(reverse("notification_settings"), {})
    assert response.status_code == 200
    assert "Choose how often we should email you about replies." in response.content.decode()
    groups = dict.fromkeys(NOTIFICATION_GROUP_FIELDS, "daily")
    response = client.post(reverse("notification_settings"), {**groups, "replies": "sideways"})
    assert "Choose one of the options for replies." in response.content.decode()
    chosen = {**groups, "replies": "off", "waiting": "immediately"}
    client.post(reverse("notification_settings"), {**chosen, "quiet_from": "22:00"})
    assert not NotificationPreference.objects.filter(user=me).exists()
    response = client.post(reverse("notification_settings"), chosen)
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=me)
    assert preference.replies == "off" and preference.waiting == "immediately"
    event = AuditEvent.objects.get(action="notifications.preference")
    assert event.actor == me
    assert event.data == {**chosen, "quiet_from": None, "quiet_until": None}


def test_dashboard_shows_the_unread_count(client):
    me = UserFactory()
    client.force_login(me)
    assert "new notification" not in client.get(reverse("dashboard")).content.decode()
    send(me, 1)
    send(me, 2)
    assert "You have 2 new notifications" in client.get(reverse("dashboard")).content.decode()


def test_old_notifications_page_by_time_not_offset():
    me = UserFactory()
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(3):
        note = send(me, n)
        Notification.objects.filter(pk=note.pk).update(created_at=base + timedelta(days=n))
    from learning.pagination import keyset_page
    from learning.selectors import notifications_for

    page = keyset_page(notifications_for(me), order=("-created_at", "-pk"), cursor=None, size=2)
    assert [n.message for n in page.items] == [
        "Something is waiting for you (2).",
        "Something is waiting for you (1).",
    ]
    assert page.next_cursor
