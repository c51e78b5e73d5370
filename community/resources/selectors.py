"""A space's library of documents, and who may download a document that is in one."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import Space, SpaceResource
from community.selectors import spaces_facilitated_by, spaces_readable_by
from learning import permissions
from learning.permissions import Person, is_signed_in


def resources_of(space: Space) -> QuerySet[SpaceResource]:
    """The space's documents in the order the editors and facilitators gave them (one
    query)."""
    return (
        SpaceResource.objects.filter(space=space)
        .select_related("document")
        .order_by("sort_order", "pk")
    )


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


def space_curated_by(user: Person, slug: str) -> Space | None:
    """The space with ``slug`` if ``user`` may look after its library (one of its facilitators,
    or the national coordinator), else ``None``: missing and not theirs look the same."""
    if not is_signed_in(user):
        return None
    spaces = (
        Space.objects.all()
        if permissions.roles_for(user).is_coordinator
        else spaces_facilitated_by(user)
    )
    space = spaces.filter(slug=slug).first()
    if space is None or not permissions.can_curate_resources(user, space):
        return None
    return space
