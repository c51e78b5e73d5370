"""Retention: ended accounts are erased after the retention period, read notifications go."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learning.models import AuditEvent, Notification, User
from learning.privacy.services import retention_apply

from .factories import UserFactory
from .journal_factories import make_entry

pytestmark = pytest.mark.django_db


def test_ended_accounts_are_erased_after_the_retention_period(settings):
    settings.HOPE_RETENTION_DAYS = {"ended_accounts": 365, "read_notifications": 0}
    now = timezone.now()
    ended_long_ago = UserFactory(is_active=False, last_login=now - timedelta(days=400))
    make_entry(ended_long_ago)
    ended_recently = UserFactory(is_active=False, last_login=now - timedelta(days=30))
    never_signed_in = UserFactory(is_active=False, last_login=None)
    User.objects.filter(pk=never_signed_in.pk).update(date_joined=now - timedelta(days=500))
    active_but_quiet = UserFactory(last_login=now - timedelta(days=900))

    counts = retention_apply(now=now)

    assert counts["ended_accounts_erased"] == 2
    remaining = set(User.objects.values_list("pk", flat=True))
    assert ended_long_ago.pk not in remaining and never_signed_in.pk not in remaining
    assert {ended_recently.pk, active_but_quiet.pk} <= remaining
    assert AuditEvent.objects.filter(action="account.retention_erasure").count() == 2
    assert retention_apply(now=now)["ended_accounts_erased"] == 0  # nothing twice


def test_zero_keeps_everything(settings):
    settings.HOPE_RETENTION_DAYS = {"ended_accounts": 0, "read_notifications": 0}
    old = UserFactory(is_active=False, last_login=timezone.now() - timedelta(days=5000))
    assert retention_apply() == {"ended_accounts_erased": 0, "notifications_deleted": 0}
    assert User.objects.filter(pk=old.pk).exists()


def test_read_notifications_are_deleted_after_their_period(settings):
    settings.HOPE_RETENTION_DAYS = {"ended_accounts": 0, "read_notifications": 90}
    user = UserFactory()
    now = timezone.now()
    old_read = Notification.objects.create(
        recipient=user, kind="t", message="Old.", url="/", read_at=now - timedelta(days=100)
    )
    new_read = Notification.objects.create(
        recipient=user, kind="t", message="New.", url="/", read_at=now - timedelta(days=10)
    )
    unread = Notification.objects.create(recipient=user, kind="t", message="Unread.", url="/")
    assert retention_apply(now=now)["notifications_deleted"] == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {new_read.pk, unread.pk}
    assert not Notification.objects.filter(pk=old_read.pk).exists()
