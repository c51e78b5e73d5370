"""The "My home" panel: what is waiting in a facilitator's moderation queue."""

from __future__ import annotations

from django.db.models import Q

from community.models import Post, PostStatus
from learning.models import Role
from learning.permissions import is_signed_in, roles_for

PANEL_LIMIT = 100


def moderation_dashboard_panel(request) -> dict | None:
    """One query for people with the facilitator role (none for anyone else): posts waiting for
    review or with open reports in the spaces they facilitate."""
    user = request.user
    if not is_signed_in(user) or not roles_for(user).has_role(Role.FACILITATOR):
        return None
    waiting = len(
        Post.objects.filter(thread__space__facilitators__pk=user.pk)
        .filter(Q(status=PostStatus.PENDING) | Q(open_flags__gt=0))
        .values_list("pk", flat=True)[:PANEL_LIMIT]
    )
    if not waiting:
        return None
    return {"template": "community/dashboard_panel.html", "context": {"waiting": waiting}}
