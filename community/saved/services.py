"""Saving a thread to find again, and removing it from "Saved". Both can be repeated safely:
saving twice keeps one row, removing what is not saved does nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from community.models import SavedThread, Thread
from learning import permissions
from learning.models import User


def thread_saved_set(*, user: User, thread: Thread, saved: bool) -> None:
    """Save ``thread`` for ``user``, or remove it. The caller has read the thread through a
    scoped selector, so the person can see it."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    if saved:
        SavedThread.objects.get_or_create(thread=thread, user=user)
    else:
        SavedThread.objects.filter(thread=thread, user=user).delete()
