"""Encrypt the two-factor secrets allauth has already stored in clear (TOTP secrets, the seed
of recovery codes and any migrated codes), with the field-encryption keys."""

from django.db import migrations

from learning.adapters import ENCRYPTED_PREFIX, decrypt_secret, encrypt_secret

SECRET_KEYS = ("secret", "seed")


def _convert(data: dict, change) -> bool:
    changed = False
    for key in SECRET_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value:
            new = change(value)
            changed |= new != value
            data[key] = new
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        new_codes = [change(code) if isinstance(code, str) else code for code in codes]
        changed |= new_codes != codes
        data["migrated_codes"] = new_codes
    return changed


def _encrypt(value: str) -> str:
    return value if value.startswith(ENCRYPTED_PREFIX) else encrypt_secret(value)


def encrypt_existing(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        data = dict(authenticator.data or {})
        if _convert(data, _encrypt):
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def decrypt_existing(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all().iterator():
        data = dict(authenticator.data or {})
        if _convert(data, decrypt_secret):
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0007_data_exports"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_existing, decrypt_existing)]
