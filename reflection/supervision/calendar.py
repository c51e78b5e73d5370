"""The personal supervision calendar feed: tokens and the iCalendar text (RFC 5545).

A person's feed token is 32 random bytes shown to them once; only its SHA-256 hash is stored, so
the database alone cannot be used to read anyone's feed. Looking a token up by its hash is a
unique-index lookup, not a comparison of secrets. The feed carries dates and names only.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from learning.models import User
from learning.permissions import is_signed_in
from learning.services import audit_record
from reflection.supervision.models import SupervisionCalendarToken
from reflection.supervision.selectors import Upcoming


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


# --- iCalendar text ---------------------------------------------------------------------------


def ics_escape(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def ics_calendar(events: list[Upcoming], *, host: str, now: datetime | None = None) -> str:
    """A VCALENDAR of all-day events, one per upcoming session: date and names only."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Holding Hope//Supervision//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_escape(_("Supervision")),
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:supervision-{e.relationship_id}-{e.on.strftime('%Y%m%d')}@{host}",
            "DTSTAMP:" + stamp.strftime("%Y%m%dT%H%M%SZ"),
            "DTSTART;VALUE=DATE:" + e.on.strftime("%Y%m%d"),
            "DTEND;VALUE=DATE:" + (e.on + timedelta(days=1)).strftime("%Y%m%d"),
            "SUMMARY:"
            + ics_escape(
                _("%(kind)s with %(name)s") % {"kind": e.kind_label, "name": e.other_name}
            ),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


__all__ = [
    "calendar_has_token",
    "calendar_token_regenerate",
    "calendar_token_revoke",
    "calendar_user_for",
    "ics_calendar",
    "ics_escape",
    "ics_fold",
]
