"""OpenID Connect back-channel logout (https://openid.net/specs/openid-connect-backchannel-1_0.html):
checking a logout token before any session is ended."""

from __future__ import annotations

import time

import jwt
from django.core.cache import cache

from learning.signin.config import ProviderConfig

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
# A logout token older than this is refused (its issue time, allowing for clock skew).
MAX_AGE_SECONDS = 600
LEEWAY_SECONDS = 60
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


class LogoutTokenError(Exception):
    """The logout token is not one this provider sent us: nothing is ended."""


def _openid_configuration(config: ProviderConfig) -> dict:
    from allauth.socialaccount.adapter import get_adapter

    url = config.server_url
    if "/.well-known/" not in url:
        url = url.rstrip("/") + "/.well-known/openid-configuration"
    with get_adapter().get_requests_session() as session:
        response = session.get(url)
        response.raise_for_status()
        return response.json()


def _signing_key(jwks_uri: str, token: str):
    from allauth.socialaccount.adapter import get_adapter

    header = jwt.get_unverified_header(token)
    if header.get("alg") not in ALGORITHMS:
        raise LogoutTokenError("algorithm not allowed")
    with get_adapter().get_requests_session() as session:
        response = session.get(jwks_uri)
        response.raise_for_status()
        keys = jwt.PyJWKSet.from_dict(response.json())
    kid = header.get("kid")
    for key in keys.keys:
        if kid is None or key.key_id == kid:
            return key.key, header["alg"]
    raise LogoutTokenError("unknown signing key")


def logout_token_verify(config: ProviderConfig, token: str, *, discovery: dict | None = None):
    """The claims of a valid logout token from ``config``'s provider, or LogoutTokenError.

    Checked: the signature (a key from the provider's JWKS, an asymmetric algorithm), ``iss``
    (the provider's issuer), ``aud`` (our client id), ``iat`` (recent), the back-channel logout
    event, ``sid`` or ``sub``, no ``nonce``, and ``jti`` not seen before (no replays)."""
    try:
        discovery = discovery or _openid_configuration(config)
        key, alg = _signing_key(discovery["jwks_uri"], token)
        claims = jwt.decode(
            token,
            key=key,
            algorithms=[alg],
            issuer=discovery["issuer"],
            audience=config.client_id,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "iat", "jti", "events"], "verify_exp": True},
        )
    except LogoutTokenError:
        raise
    except (jwt.PyJWTError, KeyError, ValueError, OSError) as exc:
        raise LogoutTokenError(type(exc).__name__) from exc
    except Exception as exc:  # requests' errors: the provider could not be asked
        raise LogoutTokenError("provider unreachable") from exc
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_EVENT), dict):
        raise LogoutTokenError("not a logout event")
    if "nonce" in claims:
        raise LogoutTokenError("a logout token has no nonce")
    if not (claims.get("sid") or claims.get("sub")):
        raise LogoutTokenError("neither sid nor sub")
    if claims["iat"] < time.time() - MAX_AGE_SECONDS:
        raise LogoutTokenError("too old")
    replay_key = f"hope:logout-jti:{config.id}:{claims['jti']}"
    if not cache.add(replay_key, True, timeout=MAX_AGE_SECONDS + LEEWAY_SECONDS):
        raise LogoutTokenError("replayed")
    return claims


# --- front-channel logout (https://openid.net/specs/openid-connect-frontchannel-1_0.html) -------
# The provider loads our logout URL in a hidden frame of its own sign-out page, with ``iss`` and
# ``sid`` in the query. The provider's issuer is read from its discovery document once an hour.
ISSUER_CACHE_SECONDS = 3600


def provider_issuer(config: ProviderConfig) -> str | None:
    """The issuer the provider's discovery document names, or ``None`` if it cannot be read."""
    key = f"hope:oidc-issuer:{config.id}"
    issuer = cache.get(key)
    if issuer is None:
        try:
            issuer = str(_openid_configuration(config)["issuer"])
        except Exception:  # requests' errors, a document without an issuer: not confirmed
            return None
        cache.set(key, issuer, ISSUER_CACHE_SECONDS)
    return issuer


def frontchannel_issuer_matches(config: ProviderConfig, iss: str) -> bool:
    """True if ``iss`` is this provider's issuer: its configured address (as Microsoft Entra ID
    and most providers name themselves) or the issuer its discovery document gives."""
    if not iss:
        return False
    configured = config.server_url.split("/.well-known/")[0].rstrip("/")
    if iss.rstrip("/") == configured:
        return True
    return iss == provider_issuer(config)
