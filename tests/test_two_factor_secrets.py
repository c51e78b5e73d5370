"""Two-factor secrets at rest: encrypted with the field keys, still usable, rotated with the
other encrypted fields, and never shown on any admin screen."""

from __future__ import annotations

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.apps import apps as global_apps
from django.core.management import call_command

from learning.adapters import ENCRYPTED_PREFIX, decrypt_secret, encrypt_secret

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _current_code(secret: str) -> str:
    import time

    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return f"{hotp_value(secret, counter):0{app_settings.TOTP_DIGITS}}"


def test_a_totp_secret_is_stored_encrypted_and_still_checks_codes():
    user = UserFactory()
    secret = generate_totp_secret()
    instance = TOTP.activate(user, secret).instance
    stored = Authenticator.objects.get(pk=instance.pk).data["secret"]
    assert stored.startswith(ENCRYPTED_PREFIX) and secret not in stored
    assert TOTP(Authenticator.objects.get(pk=instance.pk)).validate_code(_current_code(secret))


def test_recovery_codes_keep_their_seed_encrypted():
    user = UserFactory()
    codes = RecoveryCodes.activate(user)
    stored = Authenticator.objects.get(pk=codes.instance.pk).data["seed"]
    assert stored.startswith(ENCRYPTED_PREFIX)
    unused = RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).get_unused_codes()
    assert len(unused) > 0
    assert all(code not in stored for code in unused)


def test_the_migration_encrypts_what_was_stored_in_clear_and_can_undo_it():
    migration = importlib.import_module("learning.migrations.0008_encrypt_two_factor_secrets")
    user = UserFactory()
    clear = Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": "a" * 80, "used_mask": 0, "migrated_codes": ["12345678"]},
    )
    migration.encrypt_existing(global_apps, None)
    clear.refresh_from_db()
    assert clear.data["seed"].startswith(ENCRYPTED_PREFIX)
    assert decrypt_secret(clear.data["seed"]) == "a" * 80
    assert decrypt_secret(clear.data["migrated_codes"][0]) == "12345678"
    assert clear.data["used_mask"] == 0
    # Running it again changes nothing; undoing it gives the clear values back.
    before = dict(clear.data)
    migration.encrypt_existing(global_apps, None)
    clear.refresh_from_db()
    assert clear.data == before
    migration.decrypt_existing(global_apps, None)
    clear.refresh_from_db()
    assert clear.data["seed"] == "a" * 80


def test_key_rotation_re_encrypts_two_factor_secrets(settings):
    from cryptography.fernet import Fernet

    user = UserFactory()
    secret = generate_totp_secret()
    instance = TOTP.activate(user, secret).instance
    old_keys = list(settings.HOPE_FIELD_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.HOPE_FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.HOPE_FIELD_ENCRYPTION_KEYS = [new_key]
    stored = Authenticator.objects.get(pk=instance.pk).data["secret"]
    assert decrypt_secret(stored) == secret


def test_no_admin_screen_renders_a_two_factor_secret(client, people):
    user = people["practitioner"]
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret).instance
    codes = RecoveryCodes.activate(user)
    stored = [
        Authenticator.objects.get(pk=totp.pk).data["secret"],
        Authenticator.objects.get(pk=codes.instance.pk).data["seed"],
    ]
    seed = decrypt_secret(stored[1])
    client.force_login(people["superuser"])
    pages = [
        "/django-admin/mfa/authenticator/",
        f"/django-admin/mfa/authenticator/{totp.pk}/change/",
        f"/django-admin/mfa/authenticator/{codes.instance.pk}/change/",
        f"/django-admin/learning/user/{user.pk}/change/",
        f"/admin/users/edit/{user.pk}/",
        "/admin/users/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for needle in (secret, seed, *stored, *codes.get_unused_codes()):
            assert needle not in html, url


def test_encrypt_secret_round_trips():
    assert decrypt_secret(encrypt_secret("JBSWY3DPEHPK3PXP")) == "JBSWY3DPEHPK3PXP"
    assert decrypt_secret("legacy-clear") == "legacy-clear"
