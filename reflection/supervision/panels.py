"""The "My home" panel: open supervision actions carried over from earlier sessions.

Whether a person is party to any relationship is cached (and forgotten by the relationship
services), so the panel costs nothing for people without supervision and one query for those
with it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q

from learning import request_memo
from learning.permissions import is_signed_in
from reflection.supervision.models import SupervisionRelationship
from reflection.supervision.selectors import open_actions_for

PANEL_SIZE = 5
_FLAG_SECONDS = 3600


def flag_key(user_id: int) -> str:
    return f"hope:supervision:party:{user_id}"


def forget_party_flag(user_id: int) -> None:
    cache.delete(flag_key(user_id))
    request_memo.forget(flag_key(user_id))


def is_party_to_any(user) -> bool:
    """Cached: does the person have (or has had) any relationship at all? The flag comes with
    the person's other per-page values (registered with ``read_with_roles``), so "My home"
    makes no round trip of its own for it."""
    key = flag_key(user.pk)
    flag = request_memo.recall(key)
    if flag is None:
        flag = cache.get(key)
    if flag is None:
        flag = SupervisionRelationship.objects.filter(
            Q(supervisee_id=user.pk) | Q(supervisor_id=user.pk)
        ).exists()
        cache.set(key, flag, _FLAG_SECONDS)
    return flag


def supervision_dashboard_panel(request) -> dict | None:
    """Open actions (one query) for people with supervision; nothing for anyone else."""
    user = request.user
    if not is_signed_in(user) or not is_party_to_any(user):
        return None
    actions = open_actions_for(user, limit=PANEL_SIZE)
    return {
        "template": "reflection/supervision/dashboard_panel.html",
        "context": {"actions": actions},
    }
