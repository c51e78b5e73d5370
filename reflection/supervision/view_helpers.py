"""Small helpers the supervision views share."""

from __future__ import annotations

from learning.permissions import roles_for


def support_organisations(user) -> list:
    """The person's organisations, for their safeguarding and support text."""
    return roles_for(user).organisations
