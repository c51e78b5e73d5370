"""Test settings. SQLite in memory by default; CI points DATABASE_URL and REDIS_URL at the real
PostgreSQL and Redis on the machine, and the tests that need them run against them."""

from learning.settings.base import *  # noqa: F403
from learning.settings.base import env

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
# Uploaded images are served by Django from the in-memory storage (learning/media.py), so the
# live server shows them to the browser tests.
HOPE_SERVE_MEDIA = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
HOPE_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
HOPE_BASE_URL_FROM_REQUEST = False
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Static files come straight from the finders; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# N+1 queries fail the test across the run (django-zeal). tests/conftest.py gives every test
# and every Celery task its own zeal_context(); the middleware gives every request its own
# context too, so two requests in one test do not add up, and the live server's threads (which
# start with an empty context) are covered. Fix an N+1 at its cause (select_related,
# prefetch_related, an annotation in the selector); an entry here is only for a case that is not
# an N+1 on a request path, with a comment saying why.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = ["learning.settings.test.nplusone_middleware", *MIDDLEWARE]  # noqa: F405
# zeal reports each detection through its nplusone_detected signal instead of raising at the
# spot: tests/conftest.py records them and fails the test, also where the code swallows errors
# or the detection happens in the live server's thread.
ZEAL_RAISE = False
# Every repeat's stack is kept, so tests/conftest.py can tell repeats that came from different
# statements of a test (each a request of its own in production) from a loop in app code.
ZEAL_SHOW_ALL_CALLERS = True
ZEAL_ALLOWLIST = [
    # Wagtail's redirect middleware looks a 404's path up by .get() a fixed number of times (as
    # sent, decoded, without the query string: at most four), never once per row.
    {"model": "wagtailredirects.Redirect", "field": "get()"},
    # Wagtail's page editor reads each page's comments inside the library; our code never does.
    {"model": "wagtailcore.Page", "field": "wagtail_admin_comments"},
    # allauth's email confirmation fetches the address, then the current primary address, each
    # with .get() inside the library: a fixed pair per confirmation (seen in the live server).
    {"model": "account.EmailAddress", "field": "get()"},
    # allauth's "remove passkey" view (a Django DeleteView) fetches the key once in post() and
    # again in form_valid(): a fixed pair per removal.
    {"model": "mfa.Authenticator", "field": "get()"},
]

_WAGTAIL_ADMIN_LOOKUPS = [
    {"model": "*", "field": "get()"},
    {"model": "*", "field": "_revisions"},
]


def nplusone_middleware(get_response):
    """zeal's middleware, with one exception: in Wagtail's admin (/admin/) the library fetches
    the page, its specific class, its parent and its revision each with .get(), and reads a
    page's revisions once for its lock and once for its schedule; zeal reads these as loops.
    Other relation N+1s there are still caught, and everything everywhere else."""
    from zeal import zeal_context, zeal_ignore

    def middleware(request):
        with zeal_context():
            if request.path.startswith("/admin/"):
                with zeal_ignore(_WAGTAIL_ADMIN_LOOKUPS):
                    return get_response(request)
            return get_response(request)

    return middleware
