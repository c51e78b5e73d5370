"""Double submissions (a double-click, a resent form) do one thing, once.

Forms that create something carry a one-off token (``{% submission_token %}`` from the
``hope_forms`` tags). ``once_per_submission`` lets the first request with a token through and
remembers where it sent the person; a repeat of the same token is sent to the same place with
a message instead of creating a second copy. Tokens are per person and kept for ten minutes.
"""

from __future__ import annotations

import time
import uuid
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _

FIELD = "submission_token"
KEEP_SECONDS = 600
PENDING = "pending"


def new_token() -> str:
    return uuid.uuid4().hex


def _key(request, token: str) -> str:
    return f"submission:{request.user.pk}:{token[:64]}"


def once_per_submission(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request, token)
        if not cache.add(key, PENDING, KEEP_SECONDS):
            # Already sent: wait a moment for the first request to finish, then follow it.
            for _attempt in range(20):
                location = cache.get(key)
                if location and location != PENDING:
                    messages.info(request, _("That was already sent, so it was not sent again."))
                    return redirect(location)
                time.sleep(0.25)
            messages.info(request, _("That was already sent, so it was not sent again."))
            return redirect(request.path)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            cache.set(key, response["Location"], KEEP_SECONDS)
        else:
            cache.delete(key)  # not done (an error to correct): the same form may be sent again
        return response

    return wrapper
