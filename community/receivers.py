"""Signal receivers for the community: cache invalidation only."""

from __future__ import annotations

from community.models import Space
from learning.models import User
from learning.permissions import forget_roles_for_id


def on_facilitators_changed(
    sender: type, instance: object, action: str, pk_set: set[int] | None, **kwargs: object
) -> None:
    """A space's facilitators changed (here, in the admin or in a seed): forget the cached
    roles and facts of everyone affected, so the header's "Moderation" link follows at once.
    ``instance`` is the space, or the person when changed from their side."""
    if action not in {"pre_clear", "post_add", "post_remove"}:
        return
    if isinstance(instance, User):
        forget_roles_for_id(instance.pk)
        return
    if not isinstance(instance, Space):
        return
    if action == "pre_clear":  # the people are known only before the rows go
        pk_set = set(instance.facilitators.values_list("pk", flat=True))
    for user_id in pk_set or ():
        forget_roles_for_id(user_id)
