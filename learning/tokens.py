"""Link tokens: invitations (``<id>.<hmac>``, checked in constant time) and secret links
stored only as a hash (a shared portfolio)."""

from __future__ import annotations

import hashlib
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

from learning.forms import id_from
from learning.models import Invitation

_SALT = "holding-hope.invitation"


def invitation_token_make(invitation: Invitation) -> str:
    digest = salted_hmac(_SALT, f"{invitation.pk}:{invitation.nonce}", algorithm="sha256")
    return f"{invitation.pk}.{digest.hexdigest()}"


def invitation_token_check(token: str) -> Invitation | None:
    pk, _, digest = (token or "").partition(".")
    invitation_id = id_from(pk)
    if invitation_id is None or len(digest) != 64:
        return None
    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None:
        return None
    expected = invitation_token_make(invitation).partition(".")[2]
    return invitation if constant_time_compare(expected, digest) else None


# --- secret link tokens -----------------------------------------------------------------------
# A link that works without an account (a shared portfolio) carries a random secret; only its
# SHA-256 hash is stored, so the database alone cannot be used to open the link. Looking a
# token up by its hash is a unique-index lookup, not a comparison of secrets.

SECRET_TOKEN_BYTES = 32
SECRET_TOKEN_MAX_LENGTH = 200


def secret_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def secret_token_make() -> tuple[str, str]:
    """A new random token (32 bytes, URL-safe) and its hash: show the token once, store the
    hash."""
    token = secrets.token_urlsafe(SECRET_TOKEN_BYTES)
    return token, secret_token_hash(token)


def secret_token_usable(token: str) -> bool:
    """Whether ``token`` is worth hashing and looking up at all (a bound on what a stranger can
    make us hash)."""
    return bool(token) and len(token) <= SECRET_TOKEN_MAX_LENGTH
