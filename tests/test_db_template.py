"""The test database every worker copies (tests/db_template.py): it is the one other threads
see, and its name changes with the migrations it was built from."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from .db_template import migrations_digest


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
