"""A person's saved threads: only those they can still read. A thread stops showing when they
lose access to its space (they leave a space that is not open, or are removed from it) or when
it is no longer published; it comes back if that changes."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import SavedThread
from community.selectors import published_threads_in, spaces_readable_by
from learning.permissions import Person, is_signed_in


def saved_threads_of(user: Person) -> QuerySet[SavedThread]:
    """The person's saved threads they may read, with each thread and its space."""
    if not is_signed_in(user):
        return SavedThread.objects.none()
    return SavedThread.objects.filter(
        user_id=user.pk, thread__in=published_threads_in(spaces_readable_by(user))
    ).select_related("thread__space")
