"""Reads for mentions: who can be mentioned in a space (its active members and its
facilitators, by name, never by email address), the suggestions offered while typing, and the
people a post's mentions may mean when it is written or edited."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from community.models import MemberStatus, Space, SpaceMember
from learning.models import User


def mentionable_people(space: Space) -> QuerySet[User]:
    """Who can be mentioned in ``space``: its active members and its facilitators, signed-in
    accounts with a name (a person is never offered by their email address)."""
    members = SpaceMember.objects.filter(space=space, status=MemberStatus.ACTIVE)
    facilitators = Space.facilitators.through.objects.filter(space_id=space.pk)
    return (
        User.objects.filter(
            Q(pk__in=members.values("user_id")) | Q(pk__in=facilitators.values("user_id")),
            is_active=True,
        )
        .exclude(display_name="")
        .only("pk", "display_name")
    )


def mention_suggestions(space: Space, prefix: str, *, viewer: User, limit: int = 8) -> list[User]:
    """Up to ``limit`` people in ``space`` whose name, or a later word of it, starts with
    ``prefix``, by name; never the person asking (one query)."""
    prefix = " ".join(prefix.split())
    if not prefix:
        return []
    matches = Q(display_name__istartswith=prefix) | Q(display_name__icontains=f" {prefix}")
    return list(
        mentionable_people(space)
        .filter(matches)
        .exclude(pk=viewer.pk)
        .order_by("display_name", "pk")[:limit]
    )


def mention_candidates(space: Space, *, ids: set[int], first_words: set[str]) -> list[User]:
    """People in ``space`` who may be meant by a post's mentions: those chosen from the
    suggestions (``ids``) and those whose name starts with a word typed after an @ (one query)."""
    wanted = Q(pk__in=ids)
    for word in first_words:
        wanted |= Q(display_name__istartswith=word)
    if not ids and not first_words:
        return []
    return list(mentionable_people(space).filter(wanted).order_by("pk"))


def mentionable_ids(space: Space, ids: set[int]) -> set[int]:
    """Which of ``ids`` can still be mentioned in ``space`` (one query, none for no ids)."""
    if not ids:
        return set()
    return set(mentionable_people(space).filter(pk__in=ids).values_list("pk", flat=True))
