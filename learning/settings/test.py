"""Test settings. SQLite in memory by default; CI points DATABASE_URL and REDIS_URL at the real
PostgreSQL and Redis on the machine, and the tests that need them run against them."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-6f1d2c3b4a5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# A fixed, published test key: never use it anywhere else.
HOPE_FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWhvbGRpbmctaG9wZS1maWVsZC1rZXk="]

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}

REDIS_URL = env.str("REDIS_URL", default="")
# The cache stays local in tests so that each test starts clean; the Redis paths (cache,
# broker, real worker) are exercised by tests marked `redis`, which build their own clients.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "Holding Hope <no-reply@holdinghope.test>"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Static files come straight from the finders; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
