"""Field-level encryption at rest.

``EncryptedTextField`` stores Fernet tokens (``cryptography.fernet.MultiFernet``) instead of
text, so a raw read of the database or a SQL dump never shows what was written. Keys come from
``settings.HOPE_FIELD_ENCRYPTION_KEYS`` (newest first): new values are encrypted with the newest
key and any listed key can decrypt, so a key is rotated by putting the new one first and running
``manage.py rotate_encryption_keys`` before the old one is removed.

Encrypted values cannot be searched or filtered in SQL; search decrypts in the application, over
rows already limited to what the person may see.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "HOPE_FIELD_ENCRYPTION_KEYS is empty, so journal text cannot be encrypted. Set it to "
            "one or more Fernet keys, newest first."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "HOPE_FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key. Make a key with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`."
        ) from exc


def fernet() -> MultiFernet:
    """The keys in force now (newest first)."""
    return _multifernet(tuple(settings.HOPE_FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        # Never include the token or any text in the message.
        raise ImproperlyConfigured(
            "An encrypted value could not be decrypted with any key in "
            "HOPE_FIELD_ENCRYPTION_KEYS. A key that is still in use may have been removed."
        ) from exc


class EncryptedTextField(models.TextField):
    """A text field whose value is encrypted before it reaches the database. ``None`` stays
    ``NULL`` and the empty string stays empty; everything else is a Fernet token."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and the names of those fields."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) and f.model is model
        ]
        if names:
            yield model, names


def reencrypt_batch(
    model: type[models.Model], names: list[str], *, after_pk=None, batch_size: int = 500
) -> tuple[int, object]:
    """Re-encrypt one batch of ``model``'s rows (those after ``after_pk``, by primary key) with
    the newest key, in one transaction. Returns how many rows and the last primary key."""
    manager = model._base_manager
    with transaction.atomic():
        qs = manager.order_by("pk").only("pk", *names)
        if after_pk is not None:
            qs = qs.filter(pk__gt=after_pk)
        rows = list(qs.select_for_update()[:batch_size])
        if not rows:
            return 0, after_pk
        # Read with whichever key decrypts; written with the newest.
        manager.bulk_update(rows, names, batch_size=batch_size)
    return len(rows), rows[-1].pk
