"""The personal calendar feed's tokens, and the supervision events in it.

A person's feed token is 32 random bytes shown to them once; only its SHA-256 hash is stored, so
the database alone cannot be used to read anyone's feed. Looking a token up by its hash is a
unique-index lookup, not a comparison of secrets. The feed (``learning.calendar``) gathers every
app's events for the person; supervision gives dates and names only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from learning.calendar import CalendarEvent, all_day, calendar_uid
from learning.models import User
from learning.permissions import is_signed_in
from learning.services import audit_record
from reflection.supervision.models import SupervisionCalendarToken
from reflection.supervision.selectors import upcoming_sessions_for


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> str:
    """A new secret feed token for ``user`` (any earlier one stops working). Returned once."""
    if not is_signed_in(user):
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    SupervisionCalendarToken.objects.update_or_create(
        user=user, defaults={"token_hash": _hash(token)}
    )
    audit_record(action="supervision.calendar_token_made", actor=user, target=user)
    return token


@transaction.atomic
def calendar_token_revoke(*, user: User) -> bool:
    """Turn the person's feed link off."""
    if not is_signed_in(user):
        raise PermissionDenied
    deleted, _rows = SupervisionCalendarToken.objects.filter(user_id=user.pk).delete()
    if deleted:
        audit_record(action="supervision.calendar_token_revoked", actor=user, target=user)
    return bool(deleted)


def calendar_user_for(token: str) -> User | None:
    """The active person a feed token belongs to (one query), or ``None``."""
    if not token or len(token) > 200:
        return None
    row = (
        SupervisionCalendarToken.objects.select_related("user")
        .filter(token_hash=_hash(token), user__is_active=True)
        .first()
    )
    return row.user if row else None


def calendar_has_token(user: User) -> bool:
    return SupervisionCalendarToken.objects.filter(user_id=user.pk).exists()


# --- the feed's supervision events ------------------------------------------------------------


def supervision_events_for(user: User, today: date) -> list[CalendarEvent]:
    """The next session date of each of the person's active relationships, as an all-day event
    (dates and names only, never what was discussed). Registered as a feed source."""
    events = []
    for e in upcoming_sessions_for(user, today=today):
        starts, ends = all_day(e.on)
        events.append(
            CalendarEvent(
                uid=calendar_uid("supervision", e.relationship_id, e.on.strftime("%Y%m%d")),
                summary=_("%(kind)s with %(name)s") % {"kind": e.kind_label, "name": e.other_name},
                starts=starts,
                ends=ends,
                busy=False,
            )
        )
    return events


__all__ = [
    "calendar_has_token",
    "calendar_token_regenerate",
    "calendar_token_revoke",
    "calendar_user_for",
    "supervision_events_for",
]
