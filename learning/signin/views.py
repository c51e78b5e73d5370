"""The work-account sign-in step (type your email, go to your provider), the silent re-check,
and the OpenID Connect back-channel and front-channel logout endpoints."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.utils import get_next_redirect_url
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.signin import config, selectors, services
from learning.signin.forms import WorkEmailForm
from learning.signin.logout import (
    LogoutTokenError,
    frontchannel_issuer_matches,
    logout_token_verify,
)

# Set by the re-check middleware: the provider to confirm the session with, and where to go.
RECHECK = "_hope_provider_recheck"
# Set while a silent (prompt=none) re-check is under way.
RECHECK_SILENT = "_hope_provider_recheck_silent"


def _provider(request, provider_id: str):
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.models import SocialApp

    try:
        return get_adapter(request).get_provider(request, provider_id)
    except SocialApp.DoesNotExist:
        return None


def _allow_provider_forms(response):
    """Forms on this page send people on to their provider (the policy's form-action)."""
    origins = config.provider_origins()
    if origins:
        response._csp_update = {"form-action": origins}
    return response


@require_http_methods(["GET", "POST"])
def signin_work(request):
    """Type your work email address; we send you to your organisation's provider."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    next_url = get_next_redirect_url(request) or None
    form = WorkEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        provider_id = selectors.provider_for_email(form.cleaned_data["email"])
        provider = _provider(request, provider_id) if provider_id else None
        if provider is not None:
            return provider.redirect(request, process="login", next_url=next_url)
        form.add_error(
            "email",
            _(
                "Your organisation has not set up work account sign-in here. Sign in with "
                "your email address and password instead."
            ),
        )
    response = render(
        request,
        "learning/signin/work.html",
        {"form": form, "next": next_url or ""},
        status=400 if form.errors else 200,
    )
    return _allow_provider_forms(response)


@require_http_methods(["GET"])
def signin_work_recheck(request):
    """Confirm a work-account session with its provider again, silently (prompt=none). Only
    for a session the re-check middleware just closed; anything else goes to sign in."""
    pending = request.session.pop(RECHECK, None)
    provider = _provider(request, pending["provider"]) if pending else None
    if provider is None:
        return redirect("account_login")
    request.session[RECHECK_SILENT] = pending
    return provider.redirect(
        request, process="login", next_url=pending.get("next"), auth_params={"prompt": "none"}
    )


def silent_recheck_failed(request, provider):
    """The provider could not confirm the session silently: its session has ended (or it needs
    the person for something). They stay signed out, and are told why on the work sign-in page,
    which brings them back where they were. ``None`` if this was not a silent re-check."""
    pending = request.session.pop(RECHECK_SILENT, None)
    if not pending or pending.get("provider") != provider.app.provider_id:
        return None
    message = _(
        "You have been signed out because your work account session has ended. Sign in with "
        "your work account again to carry on."
    )
    if pending.get("kept"):
        message = _(
            "You have been signed out because your work account session has ended. We kept "
            "what you were writing: sign in with your work account again to carry on."
        )
    messages.info(request, message)
    query = urlencode({"next": pending.get("next") or reverse("dashboard")})
    return redirect(f"{reverse('signin_work')}?{query}")


@csrf_exempt
@require_POST
def oidc_backchannel_logout(request, provider_id: str):
    """OpenID Connect back-channel logout: the provider tells us a person's session there has
    ended; every session of ours begun through it ends too."""
    provider_config = config.provider(provider_id)
    if provider_config is None:
        raise Http404
    token = request.POST.get("logout_token", "")
    try:
        claims = logout_token_verify(provider_config, token)
    except LogoutTokenError:
        response = HttpResponseBadRequest("invalid logout token", content_type="text/plain")
    else:
        services.provider_sessions_end(
            provider_id=provider_id,
            sid=str(claims.get("sid") or ""),
            subject=str(claims.get("sub") or ""),
        )
        response = HttpResponse("", content_type="text/plain")
    add_never_cache_headers(response)
    return response


@xframe_options_exempt
@require_GET
def oidc_frontchannel_logout(request, provider_id: str):
    """OpenID Connect front-channel logout, as Microsoft Entra ID offers it: the provider's
    sign-out page loads this in a frame with the provider session id (``sid``) and its issuer
    (``iss``); every session of ours begun in that provider session ends. Nothing else changes,
    whoever loads it, and only the provider's own pages may frame it.

    ``sid`` is required. ``iss``, when sent, must be this provider's issuer; Entra ID sends
    ``sid`` alone, and the address already names the provider."""
    provider_config = config.provider(provider_id)
    if provider_config is None:
        raise Http404
    sid = request.GET.get("sid", "").strip()[:255]
    iss = request.GET.get("iss", "").strip()
    if not sid or (iss and not frontchannel_issuer_matches(provider_config, iss)):
        response = render(
            request, "learning/signin/frontchannel.html", {"ended": False}, status=400
        )
    else:
        keys = services.provider_sessions_end(provider_id=provider_id, sid=sid, channel="front")
        if request.session.session_key and request.session.session_key in keys:
            request.session.flush()  # this browser's own session: its cookie goes too
        response = render(request, "learning/signin/frontchannel.html", {"ended": True})
    add_never_cache_headers(response)
    response._csp_replace = {"frame-ancestors": [provider_config.origin]}
    return response
