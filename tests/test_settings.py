"""Production settings: refuse to start without their environment, and pass Django's
deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "learning.settings.production",
    "SECRET_KEY": "x" * 20 + "production-check-key-with-plenty-of-entropy-9f8e7d6c5b4a",
    "DATABASE_URL": "postgres://hope@127.0.0.1:5432/holdinghope",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "hope.example.nhs.uk",
    "HOPE_FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1jaGVjay1mZXJuZXQta2V5LTlmOGU=",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_name_every_missing_variable():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    result = _manage("check", env=env)
    assert result.returncode != 0
    for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
        assert name in result.stderr
    assert "REDIS_URL" not in result.stderr.split("not set:")[-1]


def test_seed_demo_refuses_production_settings():
    result = _manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr


def test_production_settings_values():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.DATABASES['default']['CONN_MAX_AGE'],"
        " s.HOPE_REQUIRE_MFA_FOR_PRIVILEGED, s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG,"
        " s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], s.HOPE_DJANGO_ADMIN)"
    )
    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "True",
        "60",
        "True",
        "False",
        "False",
        "ResilientRedisCache",
        "False",
    ]
