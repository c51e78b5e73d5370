"""Request-wide rules: session lifetimes, two-factor for privileged roles, no caching of
anything a signed-in person sees."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from learning import permissions
from learning.auth_backends import RENAMED

SIGNED_IN_AT = "_hope_signed_in_at"
LAST_SEEN = "_hope_last_seen"
MFA_OK = "_hope_mfa_ok"
# Writing the session on every request would cost a query; a minute's slack is enough.
LAST_SEEN_RESOLUTION = 60


def client_ip(request) -> str | None:
    """The client's address, seen through the trusted proxies the settings name
    (``HOPE_TRUSTED_PROXY_COUNT`` or ``HOPE_TRUSTED_CLIENT_IP_HEADER``): the same address
    allauth's sign-in limits use, so limits and audit rows agree. ``None`` if it cannot be told
    (for example a request that did not come through the configured proxies)."""
    if request is None or not hasattr(request, "META"):
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return None


# Apps keep what someone was writing when the idle sign-out catches their post: a handler takes
# the request (just signed out) and the id of the account that was signed out, and returns a
# response, or ``None`` if the post is not theirs. Whatever a handler keeps must be bound to that
# account, so that nobody else who signs in on the same browser is ever shown it.
_SIGNED_OUT_POST_HANDLERS: list = []


def register_signed_out_post_handler(handler) -> None:
    if handler not in _SIGNED_OUT_POST_HANDLERS:
        _SIGNED_OUT_POST_HANDLERS.append(handler)


def _login_redirect(request, *, signed_out_user_id: int):
    if request.method == "POST":
        for handler in _SIGNED_OUT_POST_HANDLERS:
            response = handler(request, signed_out_user_id=signed_out_user_id)
            if response is not None:
                return response
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, reading a session made before ``learning.auth_backends`` as one made after:
    its backend's name is rewritten once, so nobody is signed out by the change."""

    def process_request(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            named = request.session.get(BACKEND_SESSION_KEY)
            if named in RENAMED:
                request.session[BACKEND_SESSION_KEY] = RENAMED[named]
        super().process_request(request)


class SessionLifetimeMiddleware:
    """Sign people out after ``HOPE_SESSION_IDLE_MINUTES`` without activity, and after
    ``HOPE_SESSION_ABSOLUTE_HOURS`` whatever they do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = session.get(SIGNED_IN_AT)
            last_seen = session.get(LAST_SEEN, signed_in_at)
            idle = settings.HOPE_SESSION_IDLE_MINUTES * 60
            absolute = settings.HOPE_SESSION_ABSOLUTE_HOURS * 3600
            if signed_in_at is None:
                session[SIGNED_IN_AT] = now
                session[LAST_SEEN] = now
            elif now - signed_in_at > absolute or (last_seen and now - last_seen > idle):
                signed_out_user_id = user.pk
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out to keep your information safe, because the "
                        "session had been idle or open for a long time. Sign in again to carry "
                        "on."
                    ),
                )
                return _login_redirect(request, signed_out_user_id=signed_out_user_id)
            elif last_seen is None or now - last_seen > LAST_SEEN_RESOLUTION:
                session[LAST_SEEN] = now
        return self.get_response(request)


# The providers' logout endpoints end sessions; they never send anyone to set up 2FA instead.
MFA_EXEMPT_PREFIXES = (
    "/accounts/",
    "/signin/oidc/",
    "/static/",
    "/media/",
    "/healthz",
    "/favicon",
)


class RequireTwoFactorMiddleware:
    """With ``HOPE_REQUIRE_MFA_FOR_PRIVILEGED`` on, a privileged person without two-factor
    authentication is sent to set it up before any protected page. A passkey counts, and so does
    a work-account sign-in whose provider asserted multi-factor sign-in, where the deployment
    trusts that provider for it (``MFA_OK`` set by learning.signin.services)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.HOPE_REQUIRE_MFA_FOR_PRIVILEGED and not request.path.startswith(
            MFA_EXEMPT_PREFIXES
        ):
            user = request.user
            if not request.session.get(MFA_OK) and permissions.requires_two_factor(user):
                from allauth.mfa.models import Authenticator

                if Authenticator.objects.filter(user=user).exists():
                    request.session[MFA_OK] = True
                else:
                    messages.warning(
                        request,
                        _(
                            "Your role needs two-factor authentication. Set it up with an "
                            "authenticator app to carry on."
                        ),
                    )
                    return redirect("mfa_activate_totp")
        return self.get_response(request)


RECHECK_EXEMPT_PREFIXES = ("/accounts/", "/signin/", "/static/", "/media/", "/healthz")


def _keep_signed_out_post(request, *, signed_out_user_id: int) -> tuple[bool, str | None]:
    """What someone was writing when a re-check caught their post, kept as the idle sign-out
    keeps it (the handlers above): whether it was kept, and the page to bring them back to."""
    from urllib.parse import parse_qs, urlsplit

    for handler in _SIGNED_OUT_POST_HANDLERS:
        response = handler(request, signed_out_user_id=signed_out_user_id)
        if response is not None:
            # The handler's "sign in again" note is for a sign-in page; the re-check may not need
            # one, and says what it needs itself (learning.signin.views).
            for _message in messages.get_messages(request):
                pass
            found = parse_qs(urlsplit(response.get("Location", "")).query).get("next")
            return True, found[0] if found else None
    return False, None


class ProviderRecheckMiddleware:
    """A session begun through a work account's provider is confirmed with the provider again
    after ``HOPE_OIDC_RECHECK_HOURS``: the session ends here and the person goes through the
    provider again, silently (prompt=none), so someone whose work account was removed is signed
    out within that time while everyone else carries on where they were. A post caught by the
    re-check keeps what the person was writing, as the idle sign-out does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from learning.signin.services import PROVIDER_SESSION

        user = getattr(request, "user", None)
        # Only a page the person opens or a form they send goes through the provider: a
        # script's request (a journal's autosave) cannot follow it there, so it carries on
        # until their next page.
        navigating = request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
        if (
            user is not None
            and user.is_authenticated
            and navigating
            and not request.path.startswith(RECHECK_EXEMPT_PREFIXES)
        ):
            provider_session = request.session.get(PROVIDER_SESSION)
            limit = settings.HOPE_OIDC_RECHECK_HOURS * 3600
            if provider_session and time.time() - provider_session["confirmed_at"] > limit:
                from learning.signin.views import RECHECK

                signed_out_user_id = user.pk
                logout(request)
                kept, next_url = False, request.get_full_path()
                if request.method != "GET":
                    kept, next_url = _keep_signed_out_post(
                        request, signed_out_user_id=signed_out_user_id
                    )
                request.session[RECHECK] = {
                    "provider": provider_session["provider"],
                    "next": next_url or reverse("dashboard"),
                    "kept": kept,
                }
                return redirect("signin_work_recheck")
        return self.get_response(request)


class PrivateCacheControlMiddleware:
    """Nothing a signed-in person sees may be stored by a browser or proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ("Cookie",))
        return response


# --- failing closed when Redis is down -------------------------------------------------------

AUTH_URL_NAMES = frozenset(
    {
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_from_key",
        "account_reauthenticate",
        "mfa_authenticate",
        "mfa_reauthenticate",
    }
)


class AuthNeedsCacheMiddleware:
    """Sign-in, sign-up and password resets are rate limited through the cache (Redis). While
    Redis is unreachable they are refused with a clear message rather than run without limits;
    every other page keeps serving (``learning.cache``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            from django.urls import Resolver404, resolve

            from learning.cache import cache_available

            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name in AUTH_URL_NAMES and not cache_available():
                from django.shortcuts import render

                response = render(request, "learning/auth_unavailable.html", status=503)
                response["Retry-After"] = "60"
                return response
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person's saved language (``User.language``) is the page's language, over
    the cookie and the browser's preference, so the choice follows them to any browser they
    sign in on. The cookie is brought in line so the page stays in that language after they
    sign out. The user row is already loaded for the request: no extra query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and user.language and user.language != translation.get_language():
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # Read again after the view: the switcher may have just changed it.
        chosen = user.language if signed_in else ""
        cookie = settings.LANGUAGE_COOKIE_NAME
        if chosen and request.COOKIES.get(cookie) != chosen and cookie not in response.cookies:
            language_cookie_set(response, chosen)
        return response


def language_cookie_set(response, language: str) -> None:
    """Remember ``language`` in this browser (the choice of someone not signed in)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
