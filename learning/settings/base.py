"""Settings shared by every environment.

Everything that differs between a laptop and a hospital's production stack is read from the
environment (django-environ) in ``dev``, ``test`` and ``production``; this module holds what is
the same everywhere.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

from learning.content_policy import policy_directives

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local `.env` is optional; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = False

INSTALLED_APPS = [
    # Project apps first so their templates override third-party ones.
    "learning",
    "modules",
    "reflection",
    "community",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Welsh translations of pages, by segment, with PO export and import (docs/welsh.md).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # Sign-in
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for people not signed in, from the cache (off unless HOPE_PAGE_CACHE_SECONDS).
    "learning.pagecache.PublicPageCacheMiddleware",
    # One read of Wagtail's site root paths a request, however many page links it shows.
    "learning.request_memo.RequestMemoMiddleware",
    # In development, links in emails and exports follow the server serving the request.
    "learning.site_url.BaseUrlFromRequestMiddleware",
    "learning.security.SecurityHeadersMiddleware",
    # django-csp, with the policy built once per process (learning/security.py).
    "learning.security.ContentSecurityPolicyMiddleware",
    "learning.middleware.AuthNeedsCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, also reading sessions that name the library backends (learning/auth_backends.py).
    "learning.middleware.AuthenticationMiddleware",
    # A signed-in person's saved language wins over the cookie and the browser's.
    "learning.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learning.middleware.SessionLifetimeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "learning.middleware.ProviderRecheckMiddleware",
    "learning.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "learning.middleware.PrivateCacheControlMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "learning.urls"
WSGI_APPLICATION = "learning.wsgi.application"

# Form widgets render through the project's template settings, so templates/ can replace a
# library's widget template (Wagtail's date pickers, which would otherwise write inline script).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learning.context_processors.site",
            ],
            # Every template shows dates the one way (learning/dates.py).
            "builtins": ["learning.templatetags.hope_dates"],
        },
    },
]

AUTH_USER_MODEL = "learning.User"
# Django's and allauth's, with the signed-in person's row kept in the cache
# (learning/user_cache.py).
AUTHENTICATION_BACKENDS = [
    "learning.auth_backends.ModelBackend",
    "learning.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

LANGUAGE_CODE = "en-gb"
# English and Welsh (the Welsh Language Standards: a service offered to staff in Wales is
# offered in Welsh too). Each language is named in itself, as the switcher shows it.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# The language chosen by someone not signed in; a signed-in person's choice is also kept on
# their account (User.language, applied by learning.middleware.UserLanguageMiddleware).
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Django itself serves uploaded images (Wagtail's originals and renditions, never exports or
# certificates, which have their own signed-in downloads) from the storage (learning/media.py)
# when DEBUG is on or this is true: for development, or a single machine with no proxy in
# front. In production, images come from S3-compatible storage through signed URLs, or from a
# shared disk through the proxy's own location (README.md, "Media and downloads").
HOPE_SERVE_MEDIA = env.bool("HOPE_SERVE_MEDIA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions: cached in the cache, persisted in the database. Idle and absolute limits are
# enforced by learning.middleware.SessionLifetimeMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HOPE_SESSION_IDLE_MINUTES = env.int("HOPE_SESSION_IDLE_MINUTES", default=30)
HOPE_SESSION_ABSOLUTE_HOURS = env.int("HOPE_SESSION_ABSOLUTE_HOURS", default=12)
# "You will be signed out soon" shows this long before the idle sign-out
# (learning/session_timeout.py).
HOPE_SESSION_WARNING_SECONDS = env.int("HOPE_SESSION_WARNING_SECONDS", default=120)
SESSION_COOKIE_AGE = HOPE_SESSION_ABSOLUTE_HOURS * 3600

# --- django-allauth -------------------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up asks for a name first (learning/details/): it is shown instead of the email address.
ACCOUNT_SIGNUP_FORM_CLASS = "learning.details.forms.SignupNameForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Holding Hope] "
ACCOUNT_ADAPTER = "learning.adapters.AccountAdapter"
# Password sign-in and password resets are refused for domains whose organisation requires the
# work account (learning/signin/forms.py).
ACCOUNT_FORMS = {
    "login": "learning.signin.forms.HopeLoginForm",
    "reset_password": "learning.signin.forms.HopeResetPasswordForm",
}
# Behind a load balancer or reverse proxy, the connecting address is the proxy's. Say how many
# proxies append to X-Forwarded-For (HOPE_TRUSTED_PROXY_COUNT, 0 when people connect directly), or
# name the header your proxy sets to the client's address (HOPE_TRUSTED_CLIENT_IP_HEADER, for
# example X-Real-IP; it wins over the count). allauth's sign-in limits, our own limits and audit
# rows all take the client's address from here (``learning.middleware.client_ip``). Never trust a
# header your proxy does not overwrite: anyone could then choose their own address.
HOPE_TRUSTED_PROXY_COUNT = env.int("HOPE_TRUSTED_PROXY_COUNT", default=0)
HOPE_TRUSTED_CLIENT_IP_HEADER = env.str("HOPE_TRUSTED_CLIENT_IP_HEADER", default="") or None
ALLAUTH_TRUSTED_PROXY_COUNT = HOPE_TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = HOPE_TRUSTED_CLIENT_IP_HEADER
# Failed sign-ins are limited per address and per account ("key" is the email address typed), so
# many failures from one place cannot lock out everyone behind the same proxy, and one account
# cannot be guessed at from many places.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Changing the email address or two-factor settings asks for the password again (password
# changes ask for the current password anyway) unless it was entered in the last 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Passkeys: sign in without a password, or use one as the second factor. The WebAuthn pages'
# scripts are static files (templates/mfa/webauthn/, static/js/passkeys.js).
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("HOPE_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
MFA_TOTP_ISSUER = "Holding Hope"
# Encrypts TOTP secrets and recovery-code seeds at rest (learning/adapters.py).
MFA_ADAPTER = "learning.adapters.MFAAdapter"

# --- Work accounts: OpenID Connect (NHSmail / Microsoft Entra ID and others) ----------------
# HOPE_OIDC_PROVIDERS is a JSON list, one object per provider (docs/signin.md):
#   {"id": "nhsmail", "name": "NHSmail", "server_url": "https://login.microsoftonline.com/<tenant>/v2.0",
#    "client_id": "...", "secret": "...", "trust_mfa": true, "mfa_claim": "amr",
#    "mfa_values": ["mfa"]}
# Only a provider with "trust_mfa" true can satisfy the two-factor rule for privileged roles,
# and only when its ID token's "mfa_claim" holds one of "mfa_values".
HOPE_OIDC_PROVIDERS: list[dict] = env.json("HOPE_OIDC_PROVIDERS", default=[])
# Sign-in forms send people on to their provider: the policy's form-action allows its origin.
HOPE_OIDC_FORM_ACTION = sorted(
    {"/".join(p["server_url"].split("/")[:3]) for p in HOPE_OIDC_PROVIDERS}
)
# A provider sign-in is confirmed with the provider again after this many hours (silently,
# with prompt=none); a fraction is allowed (0.5 is half an hour).
HOPE_OIDC_RECHECK_HOURS = env.float("HOPE_OIDC_RECHECK_HOURS", default=12)
# Organisation admins link email domains to their organisation by proving they can read mail
# at the domain (learning/signin/domains.py); the link lasts this many days.
HOPE_DOMAIN_CLAIM_DAYS = env.int("HOPE_DOMAIN_CLAIM_DAYS", default=3)
# Public webmail: anyone can have an address there, so no organisation can link it.
HOPE_PUBLIC_EMAIL_DOMAINS = env.list(
    "HOPE_PUBLIC_EMAIL_DOMAINS",
    default=[
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "gmx.com",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
    ],
)
# Domains shared by many organisations (NHSmail's nhs.net is every NHS organisation's): proof
# of one mailbox there proves nothing about an organisation, so an organisation admin cannot
# link one; only platform operations can, on the national coordinator's decision, and people
# at a shared domain never join an organisation just by signing in (docs/signin.md).
HOPE_SHARED_EMAIL_DOMAINS = env.list("HOPE_SHARED_EMAIL_DOMAINS", default=["nhs.net"])
SOCIALACCOUNT_ADAPTER = "learning.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking is decided by learning.adapters
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider's verified address, or none at all
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": p["id"],
                "name": p.get("name", p["id"]),
                "client_id": p["client_id"],
                "secret": p.get("secret", ""),
                "settings": {
                    "server_url": p["server_url"],
                    "fetch_userinfo": p.get("fetch_userinfo", True),
                    **(
                        {"token_auth_method": p["token_auth_method"]}
                        if "token_auth_method" in p
                        else {}
                    ),
                },
            }
            for p in HOPE_OIDC_PROVIDERS
        ],
    }
}

# --- Holding Hope --------------------------------------------------------------------------
HOPE_PRODUCT_NAME = "Holding Hope"
# Two-factor authentication for every privileged role (supervisor, facilitator, organisation
# admin, content editor, national coordinator, superuser).
HOPE_REQUIRE_MFA_FOR_PRIVILEGED = env.bool("HOPE_REQUIRE_MFA_FOR_PRIVILEGED", default=False)
# Self sign-up limited to these email domains (empty list: anyone may sign up). Invitations
# always work, whatever the domain.
HOPE_SIGNUP_ALLOWED_DOMAINS = env.list("HOPE_SIGNUP_ALLOWED_DOMAINS", default=[])
HOPE_INVITATION_DAYS = env.int("HOPE_INVITATION_DAYS", default=14)
# Assigned modules: a reminder goes this many days (or fewer) before the due date.
HOPE_ASSIGNMENT_REMINDER_DAYS = env.int("HOPE_ASSIGNMENT_REMINDER_DAYS", default=7)
# Whether people who are not signed in may read the catalogue, module pages and lessons.
HOPE_PUBLIC_CONTENT = env.bool("HOPE_PUBLIC_CONTENT", default=True)
# Anonymous full-page cache of public pages (learning/pagecache.py): seconds a page is kept;
# 0 turns it off. Production turns it on.
HOPE_PAGE_CACHE_SECONDS = 0
# On PostgreSQL, the hot reads built once per process (learning/prepared.py) are also kept by
# the database, planned once per connection. Turn off behind a pooler that cannot keep a
# statement between transactions (PgBouncer before 1.21 in transaction mode).
HOPE_PREPARED_STATEMENTS = env.bool("HOPE_PREPARED_STATEMENTS", default=True)
# The Django admin is an operations tool; production turns it off (Wagtail is the admin).
HOPE_DJANGO_ADMIN = env.bool("HOPE_DJANGO_ADMIN", default=True)
# Field-level encryption of journal text (learning/encryption.py): Fernet keys, newest first.
# Each environment's settings fill this in; production requires it from the environment.
HOPE_FIELD_ENCRYPTION_KEYS: list[str] = []

# PDFs (modules/pdf.py) draw text in DejaVu Sans from the npm package dejavu-fonts-ttf; another
# folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf may be named here instead.
HOPE_PDF_FONT_DIR = env.str("HOPE_PDF_FONT_DIR", default="")

# Report exports (learning/reports/) can be downloaded for this many hours, then are deleted.
HOPE_REPORT_EXPORT_HOURS = env.int("HOPE_REPORT_EXPORT_HOURS", default=24)
# Learning records out (learning/xapi.py): xAPI 1.0.3 statements about learning events sent to
# a learning record store. Off while HOPE_XAPI_ENDPOINT is empty. Basic authentication with a
# username and password, or the store's key and secret (the same thing under another name).
HOPE_XAPI_ENDPOINT = env.str("HOPE_XAPI_ENDPOINT", default="")
HOPE_XAPI_USERNAME = env.str("HOPE_XAPI_USERNAME", default="") or env.str(
    "HOPE_XAPI_KEY", default=""
)
HOPE_XAPI_PASSWORD = env.str("HOPE_XAPI_PASSWORD", default="") or env.str(
    "HOPE_XAPI_SECRET", default=""
)
# The actor is an opaque account name (an HMAC of the person's id under this key, SECRET_KEY
# when empty); with HOPE_XAPI_ACTOR_MBOX the person's email address is sent instead.
HOPE_XAPI_ACTOR_KEY = env.str("HOPE_XAPI_ACTOR_KEY", default="")
HOPE_XAPI_ACTOR_MBOX = env.bool("HOPE_XAPI_ACTOR_MBOX", default=False)
HOPE_XAPI_BATCH = env.int("HOPE_XAPI_BATCH", default=50)
HOPE_XAPI_TIMEOUT = env.int("HOPE_XAPI_TIMEOUT", default=10)
# "Download my data": how long the zip can be downloaded before its file is deleted.
HOPE_DATA_EXPORT_HOURS = env.int("HOPE_DATA_EXPORT_HOURS", default=24)
# Erasure backstop: an erasure asked for this long ago and not yet done is finished by the beat.
HOPE_ERASURE_RETRY_MINUTES = env.int("HOPE_ERASURE_RETRY_MINUTES", default=60)
# Retention (learning/privacy/services.retention_apply, hourly): days after which records no
# longer needed are deleted; 0 keeps them. An account "ended" is deactivated and has not been
# signed in to for that long; it is erased exactly as if the person had asked.
HOPE_RETENTION_DAYS = {
    "ended_accounts": env.int("HOPE_RETENTION_ENDED_ACCOUNT_DAYS", default=730),
    "read_notifications": env.int("HOPE_RETENTION_READ_NOTIFICATION_DAYS", default=180),
}
# Actions limited per person (learning/ratelimit.py): "<count>/<period>" with m, h or d.
HOPE_RATE_LIMITS = {
    "post": env.str("HOPE_RATE_LIMIT_POST", default="30/10m"),
    "flag": env.str("HOPE_RATE_LIMIT_FLAG", default="20/1h"),
    "export": env.str("HOPE_RATE_LIMIT_EXPORT", default="20/1h"),
    # Each proposal looks an email address up: the limit keeps anyone from using the form to
    # find out who has an account.
    "propose": env.str("HOPE_RATE_LIMIT_PROPOSE", default="10/1h"),
    # Asking a colleague to confirm a reflective discussion looks an email address up too.
    "discussion": env.str("HOPE_RATE_LIMIT_DISCUSSION", default="10/1h"),
    # Invitations an organisation admin sends, counted an address at a time (bulk included).
    "invite": env.str("HOPE_RATE_LIMIT_INVITE", default="300/1h"),
    # Invitations to a community space look an address up too.
    "space_invite": env.str("HOPE_RATE_LIMIT_SPACE_INVITE", default="20/1h"),
    # Email domain confirmation links an organisation admin asks for (each sends an email).
    "domain_claim": env.str("HOPE_RATE_LIMIT_DOMAIN_CLAIM", default="10/1d"),
    # Suggestions of people to mention, asked for as someone types after @.
    "mention": env.str("HOPE_RATE_LIMIT_MENTION", default="120/1m"),
    # Openings of shared portfolios (and their evidence files) from one client address: an
    # appraiser reads a few pages; guessing tokens needs millions.
    "share_view": env.str("HOPE_RATE_LIMIT_SHARE_VIEW", default="60/10m"),
    # Saves of a learner's place in a SCORM package (each Commit the package makes).
    "scorm_commit": env.str("HOPE_RATE_LIMIT_SCORM_COMMIT", default="300/10m"),
}

# --- Wagtail -------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Holding Hope"
# The editor's interface in the site's two languages (Wagtail ships a Welsh catalogue). It
# follows the person's choice (User.language): the page's language, and Wagtail's own
# preferred language kept in step by learning.details.services.details_language_set.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The address every email, export and feed links to (learning.site_url.absolute_url). Set
# HOPE_BASE_URL in production; development builds it from PORT (the make variable) and, while
# serving a request, from the request itself (HOPE_BASE_URL_FROM_REQUEST).
HOPE_BASE_URL = env.str(
    "HOPE_BASE_URL",
    default=env.str("WAGTAILADMIN_BASE_URL", default=f"http://127.0.0.1:{env.int('PORT', 8000)}"),
).rstrip("/")
HOPE_BASE_URL_FROM_REQUEST = False
WAGTAILADMIN_BASE_URL = HOPE_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Content in English and Welsh: each module and lesson may have a Welsh translation (a page in
# the cy locale sharing its translation_key), made in the admin with wagtail-localize or
# installed from modules/curriculum/cy/. URLs stay the same in both languages: the page is
# shown in the reader's language when a live translation exists (modules/translation.py).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# "Translate this page" makes the translation a draft. wagtail-localize's default publishes it
# at once when the English page is live, still in English and before any review; here it is
# published only when a content reviewer approves it (modules/pages/translation_review.py).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "pptx", "xlsx", "csv"]
# No SVG: an SVG file can carry script. Bitmap formats only, with size limits for uploads.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("HOPE_MAX_IMAGE_MB", default=10) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
HOPE_MAX_DOCUMENT_MB = env.int("HOPE_MAX_DOCUMENT_MB", default=20)
# Evidence attached to external CPD in the revalidation portfolio (reflection.portfolio).
HOPE_MAX_EVIDENCE_MB = env.int("HOPE_MAX_EVIDENCE_MB", default=10)
# SCORM packages uploaded in the admin (modules/scorm/, docs/scorm.md): the zip's size, what it
# may unpack to in all, how many files it may hold and how far any one file may expand (a file
# that grows more than this many times is a zip bomb, not e-learning).
HOPE_SCORM_MAX_UPLOAD_MB = env.int("HOPE_SCORM_MAX_UPLOAD_MB", default=200)
HOPE_SCORM_MAX_UNZIPPED_MB = env.int("HOPE_SCORM_MAX_UNZIPPED_MB", default=500)
HOPE_SCORM_MAX_FILES = env.int("HOPE_SCORM_MAX_FILES", default=5000)
HOPE_SCORM_MAX_RATIO = env.int("HOPE_SCORM_MAX_RATIO", default=100)
# Package files are served from this origin when set (a host of its own, such as
# https://scorm-content.example, pointing at this service); otherwise from this site, in a
# sandboxed frame without allow-same-origin either way. Links to them last this many hours.
HOPE_SCORM_CONTENT_ORIGIN = env.str("HOPE_SCORM_CONTENT_ORIGIN", default="").rstrip("/")
HOPE_SCORM_LINK_HOURS = env.int("HOPE_SCORM_LINK_HOURS", default=12)
WAGTAILDOCS_DOCUMENT_FORM_BASE = "learning.forms.DocumentForm"
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth handles passwords
WAGTAILUSERS_PASSWORD_ENABLED = False
# Lesson videos come from YouTube (its no-cookie player) and Vimeo only: the providers the
# Content Security Policy frames (learning/content_policy.py).
WAGTAILEMBEDS_FINDERS = [{"class": "modules.pages.embeds.NoCookieOEmbedFinder"}]

# --- Celery --------------------------------------------------------------------------------
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_BEAT_SCHEDULE: dict = {
    # Assigned modules: reminders before the due date and notices once it has passed.
    "assignment-reminders": {
        "task": "hope.assignments.reminders_send",
        "schedule": crontab(hour=7, minute=0),
    },
    # Wagtail's scheduled publishing (go-live and expiry times set by editors).
    "publish-scheduled-pages": {
        "task": "hope.pages.publish_scheduled",
        "schedule": crontab(minute="*/5"),
    },
    # Backstop for the outbox relay process (learning/outbox.py): nothing waits long.
    "outbox-relay": {
        "task": "hope.ops.outbox_relay",
        "schedule": 60.0,
    },
    # On-site notifications: the daily email digest for people who chose it.
    "notification-digests": {
        "task": "hope.notify.digests_send",
        "schedule": crontab(hour=6, minute=30),
    },
    # Emails and summaries held for a person's quiet hours go when those hours end.
    "notification-held": {
        "task": "hope.notify.held_send",
        "schedule": crontab(minute="*/10"),
    },
    # Supervision: sessions due by the agreed frequency, records awaiting confirmation, actions
    # due. Each reminder is claimed once, so running more often never duplicates one.
    "supervision-reminders": {
        "task": "hope.supervision.reminders_send",
        "schedule": crontab(minute=15),
    },
    # Reflective sessions: the reminder the day before, to each person with a place (claimed
    # once each), in the day's waking hours.
    "community-session-reminders": {
        "task": "hope.community.session_reminders_send",
        "schedule": crontab(minute=25, hour="8-20"),
    },
    # Requests to reveal an anonymous author that nobody decided in time lapse.
    "community-reveal-requests-lapse": {
        "task": "hope.community.reveal_requests_lapse",
        "schedule": crontab(minute=35),
    },
    # Data rights: expired "download my data" files deleted; erasures asked for, finished.
    "privacy-retention": {
        "task": "hope.privacy.retention_apply",
        "schedule": crontab(minute=40),
    },
    # Learning records out (learning/xapi.py): statements waiting for the learning record store
    # go in batches; does nothing when no store is configured.
    "xapi-statements": {
        "task": "hope.xapi.statements_send",
        "schedule": 60.0,
    },
}

# --- Security headers shared by all environments ---------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Built from the media storage and the supported video providers (learning/content_policy.py);
# production builds it again once its storage is chosen. The admins get their own policy
# (learning.security) from the same function: still no inline scripts at all.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    # Sign-in forms may send people on to their work account's provider.
    "DIRECTIVES": {
        **policy_directives(storages=STORAGES, media_url=MEDIA_URL),
        "form-action": ["'self'", *HOPE_OIDC_FORM_ACTION],
    },
}
if HOPE_SCORM_CONTENT_ORIGIN:  # lessons frame SCORM packages from their own origin
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] = [
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"],
        HOPE_SCORM_CONTENT_ORIGIN,
    ]

# --- Observability (learning/observability.py, learning/metrics.py) ---------------------------
# Every request gets an id (returned in X-Request-ID, written on log lines, sent with tasks) and
# is timed by view for /metrics. Trust an incoming X-Request-ID only when the proxy in front
# always sets or overwrites it.
MIDDLEWARE = [
    "learning.observability.RequestIdMiddleware",
    "learning.metrics.MetricsMiddleware",
    *MIDDLEWARE,
]
HOPE_TRUST_REQUEST_ID = env.bool("HOPE_TRUST_REQUEST_ID", default=False)
# Bearer token for /metrics; without one the page does not exist.
HOPE_METRICS_TOKEN = env.str("HOPE_METRICS_TOKEN", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# The admin makes no requests to other sites (its Content Security Policy would refuse them).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
