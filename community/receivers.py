"""Signal receivers for the community: cache invalidation only."""

from __future__ import annotations

from learning.models import User
from learning.permissions import forget_roles_for_id


def on_facilitators_changed(sender, instance, action, pk_set, **kwargs) -> None:
    """A space's facilitators changed (here, in the admin or in a seed): forget the cached
    roles and facts of everyone affected, so the header's "Moderation" link follows at once."""
    if action == "pre_clear":
        # Cleared: the people are known only before the rows go.
        if isinstance(instance, User):
            forget_roles_for_id(instance.pk)
        else:
            for user_id in instance.facilitators.values_list("pk", flat=True):
                forget_roles_for_id(user_id)
        return
    if action not in {"post_add", "post_remove"}:
        return
    if isinstance(instance, User):
        forget_roles_for_id(instance.pk)
    else:
        for user_id in pk_set or ():
            forget_roles_for_id(user_id)
