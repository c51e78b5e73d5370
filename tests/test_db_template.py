"""The test database every worker copies (tests/db_template.py): it is the one other threads
see, its name changes with the migrations it was built from, and what the migrations put in
comes back after a transactional test's flush; a test that uses the landing page starts with
the copy each worker built, and any other test without it."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections
from wagtail.models import Collection, Locale, Page, Site

from . import db_template
from .db_template import in_memory_sqlite, migrations_digest, restore_base

MIGRATED = (Page, Collection, Locale, Site, Group, Permission, ContentType)

# The template and its copies are the embedded default's; PostgreSQL is migrated as
# pytest-django does it and nothing is copied.
ON_THE_TEMPLATE = pytest.mark.skipif(
    not in_memory_sqlite(), reason="the template is the embedded default's (in-memory SQLite)"
)


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


@ON_THE_TEMPLATE
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


@ON_THE_TEMPLATE
def test_each_process_builds_the_landing_page_once_and_copies_it_in(
    django_db_setup, django_db_blocker
):
    """Outside any test transaction, as between two tests: "home" is built at most once,
    then copied in; "base" is the migrated rows alone."""
    from modules.models import HomePage

    from .factories import make_home_page

    builds: list[int] = []

    def build():
        builds.append(1)
        make_home_page()

    def must_not_build():
        raise AssertionError("the landing page was built again")

    with django_db_blocker.unblock():
        try:
            db_template.start_from("base", must_not_build)
            assert not HomePage.objects.exists()
            db_template.start_from("home", build)
            assert db_template._CURRENT == ["home"]
            assert HomePage.objects.count() == 1
            assert len(builds) <= 1
            db_template.start_from("base", must_not_build)
            assert db_template._CURRENT == ["base"]
            assert not HomePage.objects.exists()
            db_template.start_from("home", must_not_build)
            assert HomePage.objects.count() == 1
            assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
        finally:
            db_template.start_from("base", must_not_build)


@pytest.mark.parametrize("round_", [1, 2])
def test_a_test_with_the_landing_page_finds_one(home_page, round_):
    """Twice, so that at least one follows another test: it finds the one landing page."""
    from modules.models import HomePage

    assert list(HomePage.objects.values_list("pk", flat=True)) == [home_page.pk]
    assert Site.objects.get(is_default_site=True).root_page_id == home_page.pk
    assert home_page.live


@pytest.mark.parametrize("round_", [1, 2])
@pytest.mark.django_db
def test_a_test_without_it_finds_none(round_):
    from modules.models import HomePage

    assert not HomePage.objects.exists()
    assert Page.objects.filter(depth=1).exists()
