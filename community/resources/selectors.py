"""A space's library of documents, and who may download a document that is in one."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import Space, SpaceResource
from community.selectors import spaces_readable_by
from learning import permissions
from learning.permissions import Person


def resources_of(space: Space) -> QuerySet[SpaceResource]:
    """The space's documents in the order the editors gave them (one query)."""
    return SpaceResource.objects.filter(space=space).select_related("document")


def may_download(user: Person, document_id: int) -> bool:
    """A document in no space's library is served as before. One in a library is served only
    to someone who can read one of those spaces (its members and facilitators, and anyone
    signed in for an open space), or who manages spaces in the admin."""
    libraries = SpaceResource.objects.filter(document_id=document_id)
    if not libraries.exists():
        return True
    if permissions.can_manage_community_spaces(user):
        return True
    return libraries.filter(space__in=spaces_readable_by(user)).exists()
