"""Rate limits for actions people take many times: posting, reporting posts, exports, and
proposing supervision (each proposal looks up an email address).

Sign-in, sign-up and password resets are limited by allauth (``ACCOUNT_RATE_LIMITS``); this
covers the rest. A fixed window per person and action, counted in the cache. If the cache
cannot be reached the action is allowed (only sign-in fails closed, see ``learning.cache``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

MESSAGES = {
    "post": lambda minutes: (
        _(
            "You have posted a lot in a short time. Wait %(minutes)s minutes, then post again. "
            "What you wrote is still here."
        )
        % {"minutes": minutes}
    ),
    "flag": lambda minutes: (
        _(
            "You have reported a lot of posts in a short time. Wait %(minutes)s minutes, then "
            "report this one again, or tell a facilitator."
        )
        % {"minutes": minutes}
    ),
    "export": lambda minutes: (
        _(
            "You have asked for a lot of downloads in a short time. Wait %(minutes)s minutes, "
            "then try again."
        )
        % {"minutes": minutes}
    ),
    "space_invite": lambda minutes: (
        _(
            "You have sent a lot of invitations in a short time. Wait %(minutes)s minutes, "
            "then send this one again."
        )
        % {"minutes": minutes}
    ),
    "mention": lambda minutes: (
        _(
            "Suggestions are paused for %(minutes)s minutes. You can still type the "
            "person's name after @."
        )
        % {"minutes": minutes}
    ),
    "propose": lambda minutes: (
        _(
            "You have sent a lot of supervision proposals in a short time. Wait %(minutes)s "
            "minutes, then send this one again. What you wrote is still here."
        )
        % {"minutes": minutes}
    ),
    "discussion": lambda minutes: (
        _(
            "You have asked a lot of colleagues to confirm a discussion in a short time. Wait "
            "%(minutes)s minutes, then ask again. What you wrote is still here."
        )
        % {"minutes": minutes}
    ),
    "domain_claim": lambda minutes: (
        _(
            "You have asked for a lot of confirmation links in a short time. Wait %(minutes)s "
            "minutes, then ask again."
        )
        % {"minutes": minutes}
    ),
    "scorm_commit": lambda minutes: (
        _(
            "Your progress in this lesson is being saved too often. Wait %(minutes)s minutes, "
            "then carry on."
        )
        % {"minutes": minutes}
    ),
    "invite": lambda minutes: (
        _(
            "You have sent a lot of invitations in a short time. Wait %(minutes)s minutes, "
            "then send the rest."
        )
        % {"minutes": minutes}
    ),
}


def _rule(action: str) -> tuple[int, int]:
    limit, _slash, period = settings.HOPE_RATE_LIMITS[action].partition("/")
    seconds = {"m": 60, "h": 3600, "d": 86400}[period[-1]] * int(period[:-1] or 1)
    return int(limit), seconds


def _over(action: str, subject: str) -> int | None:
    """Count one ``action`` by ``subject``; the minutes left in the window if that is over the
    limit, else ``None``."""
    if not settings.HOPE_RATE_LIMITS.get(action):
        return None
    limit, period = _rule(action)
    window = int(time.time() // period)
    key = f"ratelimit:{action}:{subject}:{window}"
    try:
        cache.add(key, 0, period + 5)
        count = cache.incr(key)
    except Exception:  # the cache is down or evicted the key: allow
        return None
    if count <= limit:
        return None
    return max(1, round((period - time.time() % period) / 60))


def rate_limit_message(user, action: str) -> str | None:
    """Count one ``action`` by ``user``; a whole sentence saying what to do if they are over
    the limit, else ``None``."""
    minutes = _over(action, str(user.pk))
    return None if minutes is None else MESSAGES[action](minutes)


def rate_limit_address(address: str | None, action: str) -> int | None:
    """Count one ``action`` from a client address, for pages anyone may open without an
    account (a shared portfolio); the minutes to wait if over the limit, else ``None``.
    Requests whose address cannot be told share one count."""
    return _over(action, f"ip:{address or 'unknown'}")
