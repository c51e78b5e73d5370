"""The test database every worker copies (tests/db_template.py): it is the one other threads
see, its name changes with the migrations it was built from, and what the migrations put in
comes back after a transactional test's flush."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections
from wagtail.models import Collection, Locale, Page, Site

from .db_template import in_memory_sqlite, migrations_digest, restore_base

MIGRATED = (Page, Collection, Locale, Site, Group, Permission, ContentType)


@pytest.mark.django_db(transaction=True)
def test_another_thread_sees_the_migrated_test_database():
    """The live server answers from its own thread: if the test database were private to this
    thread's connection, every browser test would find no tables."""
    seen: list[str] = []

    def look():
        try:
            seen.extend(connections["default"].introspection.table_names())
        finally:
            connections.close_all()

    worker = threading.Thread(target=look)
    worker.start()
    worker.join(timeout=30)
    assert "learning_user" in seen
    assert set(seen) == set(connection.introspection.table_names())


def test_the_template_is_named_by_the_migrations_and_the_settings(monkeypatch):
    digest = migrations_digest()
    assert digest == migrations_digest()
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "learning.settings.other")
    assert migrations_digest() != digest


@pytest.mark.skipif(
    not in_memory_sqlite(), reason="the template is the embedded default's (in-memory SQLite)"
)
@pytest.mark.django_db(transaction=True)
def test_the_migrated_rows_come_back_after_a_flush():
    """Work stealing can run any test after a transactional one: it must still find Wagtail's
    root page and collection, the locales and the groups the migrations made."""
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in MIGRATED}
    assert all(before.values())
    call_command("flush", interactive=False, verbosity=0)
    assert not Page.objects.exists() and not Collection.objects.exists()
    restore_base()
    after = {model: set(model.objects.values_list("pk", flat=True)) for model in MIGRATED}
    assert after == before
    assert ContentType.objects.get_for_model(Page).pk in before[ContentType]
