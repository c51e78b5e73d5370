"""Production: everything that identifies or protects a deployment comes from the environment,
and the service refuses to start without it."""

from django.core.exceptions import ImproperlyConfigured

from learning.content_policy import policy_directives
from learning.observability import logging_config, sentry_init
from learning.settings.base import *  # noqa: F403
from learning.settings.base import (
    CONTENT_SECURITY_POLICY,
    HOPE_OIDC_FORM_ACTION,
    HOPE_SCORM_CONTENT_ORIGIN,
    MEDIA_URL,
    STATIC_ROOT,
    STORAGES,
    env,
)

REQUIRED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "HOPE_FIELD_ENCRYPTION_KEYS",
)
_missing = [name for name in REQUIRED if not env.str(name, default="")]
if _missing:
    raise ImproperlyConfigured(
        "Holding Hope cannot start with production settings because these environment "
        f"variables are not set: {', '.join(_missing)}. Set them (see README.md, 'Running in "
        "production') and start the service again."
    )

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Fernet keys for journal text, newest first (see learning/encryption.py).
HOPE_FIELD_ENCRYPTION_KEYS = env.list("HOPE_FIELD_ENCRYPTION_KEYS")
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS]
)

DATABASES = {"default": env.db("DATABASE_URL")}
# Each gunicorn worker, Celery worker process, beat and relay holds at most one connection, kept
# for CONN_MAX_AGE seconds and checked before reuse (docs/operations.md, "Sizing").
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A statement running longer than this is cancelled by PostgreSQL (milliseconds; 0 is no limit),
# so a stuck query frees its connection before gunicorn's timeout kills the worker.
_statement_timeout = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=30000)
if _statement_timeout and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={_statement_timeout}"
    )

REDIS_URL = env.str("REDIS_URL")
CACHES = {
    "default": {
        # Reads miss and writes are skipped while Redis is down (learning/cache.py).
        "BACKEND": "learning.cache.ResilientRedisCache",
        "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": "hope",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
# A task whose worker died is delivered again after this many seconds (tasks take far less).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    # Look for tasks abandoned by a dead worker every so many seconds.
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# Email: SMTP from EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.org:587).
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Holding Hope <no-reply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Transport security.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a load balancer, set HOPE_TRUSTED_PROXY_COUNT (how many proxies append to
# X-Forwarded-For) or HOPE_TRUSTED_CLIENT_IP_HEADER (a header your proxy overwrites with the
# client's address). Without one, every sign-in limit and audit row sees the proxy's address, and
# ten bad sign-ins from anyone would refuse everyone's right password for a minute.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"

HOPE_REQUIRE_MFA_FOR_PRIVILEGED = env.bool("HOPE_REQUIRE_MFA_FOR_PRIVILEGED", default=True)
# Public pages for people not signed in are served from the cache (learning/pagecache.py).
HOPE_PAGE_CACHE_SECONDS = env.int("HOPE_PAGE_CACHE_SECONDS", default=60)
# `manage.py bench` only: its gunicorn adds the floor views (learning/bench/urls.py) and
# collects static files into its own directory.
if env.bool("HOPE_BENCH_URLS", default=False):
    ROOT_URLCONF = "learning.bench.urls"
    STATIC_ROOT = env.str("HOPE_BENCH_STATIC_ROOT", default=str(STATIC_ROOT))
HOPE_DJANGO_ADMIN = env.bool("HOPE_DJANGO_ADMIN", default=False)
# The address people use (behind any proxy): every email, export and feed links to it.
HOPE_BASE_URL = env.str(
    "HOPE_BASE_URL",
    default=env.str("WAGTAILADMIN_BASE_URL", default=f"https://{ALLOWED_HOSTS[0]}"),
).rstrip("/")
HOPE_BASE_URL_FROM_REQUEST = False
WAGTAILADMIN_BASE_URL = HOPE_BASE_URL

# --- Media and downloads --------------------------------------------------------------------
# Uploaded images, certificates, report exports and "download my data" files are written by one
# machine and read by another (a worker builds a certificate, a web node serves it). As soon as
# a worker and a web node do not share a disk, set AWS_STORAGE_BUCKET_NAME: S3-compatible
# storage with private objects, read through signed URLs that expire (images) or streamed by
# the signed-in download views (certificates and exports). Without a bucket, MEDIA_ROOT must be
# one disk shared by every web and worker machine (README.md, "Media and downloads").
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
                "region_name": env.str("AWS_S3_REGION_NAME", default=None),
                # Objects get the bucket's own (private) default: no ACL is sent, which also
                # works on buckets where ACLs are turned off, as new AWS buckets are.
                "default_acl": None,
                "querystring_auth": True,
                # Seconds a signed image URL works; longer than the public page cache keeps a
                # page, so a cached page never shows an expired image link.
                "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
                # A CDN in front of the bucket. It must sign its URLs itself (CloudFront keys)
                # or serve only public images: a custom domain's URLs are not signed here.
                "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
                "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# --- Logs, error reporting (learning/observability.py) -----------------------------------------
# One JSON object a log line, with the request id; LOG_FORMAT=plain for people reading a terminal.
LOGGING = logging_config(
    level=env.str("LOG_LEVEL", default="INFO"),
    json_lines=env.str("LOG_FORMAT", default="json") != "plain",
)
# Errors go to Sentry when SENTRY_DSN is set, scrubbed of request bodies, cookies, secret-bearing
# headers and local variables before they leave the process.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
# Prometheus scrapes /metrics inside the network, over plain HTTP, with its bearer token.
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]

# The site's Content Security Policy, built from the storage just chosen (images from the
# bucket) and the video providers; the admins' policy (learning.security) follows it.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {
        **policy_directives(storages=STORAGES, media_url=MEDIA_URL),
        "form-action": ["'self'", *HOPE_OIDC_FORM_ACTION],
        "upgrade-insecure-requests": env.bool("HOPE_CSP_UPGRADE_INSECURE", default=True),
    },
}
if HOPE_SCORM_CONTENT_ORIGIN:  # lessons frame SCORM packages from their own origin
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] = [
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"],
        HOPE_SCORM_CONTENT_ORIGIN,
    ]

# --- Beat: the scheduler, safe on more than one machine ------------------------------------
# celery-redbeat keeps the schedule in Redis and holds a lock there: run `celery beat` on two
# machines and only the one holding the lock sends tasks; if that machine is lost, the lock
# expires after CELERY_BEAT_LOCK_TIMEOUT seconds and the other takes over. Each job's last run
# is kept in Redis too, so a takeover neither repeats nor skips a period.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_REDIS_URL = env.str("CELERY_REDBEAT_REDIS_URL", default=REDIS_URL)
CELERY_REDBEAT_KEY_PREFIX = env.str("CELERY_REDBEAT_KEY_PREFIX", default="hope:redbeat:")
CELERY_REDBEAT_LOCK_TIMEOUT = env.int("CELERY_BEAT_LOCK_TIMEOUT", default=30)
# The beat wakes at least this often, so it renews the lock well before it expires.
CELERY_BEAT_MAX_LOOP_INTERVAL = max(1, CELERY_REDBEAT_LOCK_TIMEOUT // 5)
