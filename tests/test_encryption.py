"""Field-level encryption: values round-trip, the database holds only tokens, and keys rotate."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from reflection.models import JournalEntry

from .factories import UserFactory
from .journal_factories import SENTINEL, make_entry

pytestmark = pytest.mark.django_db


def raw_row(entry_id: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, tags, body_json, summary, prompt FROM reflection_journalentry "
            "WHERE id = %s",
            [entry_id],
        )
        return cursor.fetchone()


def test_round_trip():
    entry = make_entry(
        UserFactory(), title="Café — naïve “quotes” ✓", prompt="What did you notice?"
    )
    again = JournalEntry.objects.get(pk=entry.pk)
    assert again.title == "Café — naïve “quotes” ✓"
    assert again.prompt == "What did you notice?"
    assert SENTINEL in again.body_json


def test_raw_database_holds_no_plaintext():
    entry = make_entry(
        UserFactory(), title=f"Title {SENTINEL}", tags=f"tag-{SENTINEL}", prompt=SENTINEL
    )
    row = raw_row(entry.pk)
    for value in row:
        assert SENTINEL not in value
        assert value.startswith("gAAAAA"), "every stored value is a Fernet token"


def test_empty_values_stay_empty():
    entry = make_entry(UserFactory(), summary="", prompt="")
    assert raw_row(entry.pk)[3:] == ("", "")


def test_rotation_re_encrypts_with_the_newest_key(settings):
    old_key = settings.HOPE_FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    entries = [make_entry(UserFactory(), title=f"Entry {n}") for n in range(5)]
    before = [raw_row(e.pk) for e in entries]
    with override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        out = StringIO()
        call_command("rotate_encryption_keys", "--batch-size", "2", stdout=out)
        assert "reflection.JournalEntry: 2 rows re-encrypted" in out.getvalue()
        assert "reflection.JournalEntry: 5 rows re-encrypted" in out.getvalue()
    after = [raw_row(e.pk) for e in entries]
    assert all(a != b for a, b in zip(after, before, strict=True))
    # Only the new key is needed now.
    with override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[new_key]):
        assert sorted(JournalEntry.objects.values_list("title", flat=True)) == [
            f"Entry {n}" for n in range(5)
        ]
        assert Fernet(new_key.encode()).decrypt(after[0][0].encode()) == b"Entry 0"


def test_a_removed_key_fails_loudly_without_revealing_anything(settings):
    entry = make_entry(UserFactory(), title=f"Title {SENTINEL}")
    other_key = Fernet.generate_key().decode()
    with (
        override_settings(HOPE_FIELD_ENCRYPTION_KEYS=[other_key]),
        pytest.raises(ImproperlyConfigured) as excinfo,
    ):
        JournalEntry.objects.get(pk=entry.pk)
    assert "could not be decrypted" in str(excinfo.value)
    assert SENTINEL not in str(excinfo.value)
