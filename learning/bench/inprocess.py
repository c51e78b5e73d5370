"""What ``manage.py bench`` runs inside Django, in a subprocess with exactly the bench server's
environment (production settings, the bench database and Redis): preparing the floor page,
signing the personas in, counting each page's queries and profiling a page."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learning.bench.floor import BARE_PATH, EMPTY_PATH, WAGTAIL_HOST, ensure_wagtail_floor
from learning.bench.report import FLOOR_BARE, FLOOR_WAGTAIL, SIGNED_IN_EMPTY

LOCAL_HOST = "127.0.0.1"


def prepare() -> dict:
    return {"wagtail_floor_page": ensure_wagtail_floor()}


def sign_in(accounts: dict[str, str]) -> dict:
    """A real session per persona, made the way a password sign-in with two-factor makes it:
    ``django.contrib.auth.login`` (which fires the sign-in receivers: audit row, start of the
    session lifetime), allauth's record of the password and two-factor steps, and the marker
    the two-factor enforcement middleware checks (learning/middleware.py)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from django.contrib.auth import get_user_model, login
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.test import RequestFactory

    from learning.middleware import LAST_SEEN, MFA_OK, SIGNED_IN_AT

    user_model = get_user_model()
    out = {}
    for persona, email in accounts.items():
        user = user_model.objects.get(email__iexact=email)
        request = RequestFactory().get("/", secure=True, REMOTE_ADDR=LOCAL_HOST)
        request.session = SessionStore()
        request.user = AnonymousUser()
        login(request, user, backend="learning.auth_backends.AuthenticationBackend")
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now
        request.session[MFA_OK] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": email},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        request.session.save()
        out[persona] = {
            "session": request.session.session_key,
            "name": str(getattr(user, "display_name", "") or ""),
            "email": email,
        }
    return {"cookie": settings.SESSION_COOKIE_NAME, "personas": out}


def _client_for(page: dict, sessions: dict) -> Client:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    persona = page.get("as")
    if persona:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions["personas"][persona]["session"]
    return client


def _get(client: Client, name: str, page: dict):
    extra = {"secure": True}
    if name == FLOOR_WAGTAIL:
        extra["HTTP_HOST"] = WAGTAIL_HOST
    return client.get(page["url"], **extra)


def setup(accounts: dict[str, str], pages: dict) -> dict:
    """Everything the bench needs from inside Django before gunicorn starts, in one process:
    the floor page, the personas' sessions and each page's query count."""
    prepared = prepare()
    sessions = sign_in(accounts)
    return {**prepared, "sessions": sessions, "counts": query_counts(pages, sessions)}


def query_counts(pages: dict, sessions: dict, repeats: int = 3) -> dict:
    """Each page's queries per request once warm (the least of a few requests: a session's
    "last seen" is written at most once a minute and is not the page's cost)."""
    from learning import pagecache

    settings.HOPE_PAGE_CACHE_SECONDS = 0  # the page's own cost first
    out = {}
    for name, page in pages.items():
        client = _client_for(page, sessions)
        response = _get(client, name, page)
        counts = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                response = _get(client, name, page)
            counts.append(len(captured))
        out[name] = {"queries": min(counts), "status": response.status_code, "cached": False}
    # Which anonymous pages the page cache serves.
    settings.HOPE_PAGE_CACHE_SECONDS = 60
    for name, page in pages.items():
        if page.get("as") or page.get("floor") or not out[name]["queries"]:
            continue
        client = _client_for(page, sessions)
        _get(client, name, page)
        with CaptureQueriesContext(connection) as captured:
            response = _get(client, name, page)
        out[name]["cached"] = response.status_code == 200 and len(captured) == 0
    pagecache.clear_local()
    return out


def profile(name: str, page: dict, sessions: dict, repeats: int = 50) -> str:
    from pyinstrument import Profiler

    client = _client_for(page, sessions)
    for _ in range(5):
        _get(client, name, page)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeats):
        _get(client, name, page)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False)


def floor_pages() -> dict:
    """The floors, then the signed-in empty page (a page with a target of its own, measured as
    the practitioner every scale has)."""
    return {
        FLOOR_BARE: {"url": BARE_PATH, "as": None, "floor": True},
        FLOOR_WAGTAIL: {"url": "/", "as": None, "floor": True, "host": WAGTAIL_HOST},
        SIGNED_IN_EMPTY: {"url": EMPTY_PATH, "as": "practitioner"},
    }
