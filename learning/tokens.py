"""Invitation link tokens: ``<id>.<hmac>``, checked in constant time."""

from __future__ import annotations

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
