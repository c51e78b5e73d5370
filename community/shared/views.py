"""What every community view needs: the space (through a scoped lookup), the person's
membership and whether they facilitate it, and the name shown on a post."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from community import selectors
from community.models import Space, SpaceMember
from learning import permissions
from learning.pagination import cursor_starting_at
from learning.permission_types import Decision


@dataclass
class SpaceAccess:
    """The rulebook's answers about one person and one space, worked out once per request:
    whether they facilitate it, whether they take part (accept the guidelines, report posts,
    sign up to sessions) and whether they may start a thread now (``posting``)."""

    space: Space
    member: SpaceMember | None
    is_facilitator: bool
    takes_part: bool
    posting: Decision


def space_access(request, slug: str) -> SpaceAccess:
    """The space if the person may read it, else 404 (missing and closed look the same)."""
    found = selectors.space_for_reader(request.user, slug)  # None unless they may read it
    if found is None:
        raise Http404
    space, member = found
    return SpaceAccess(
        space=space,
        member=member,
        is_facilitator=permissions.can_moderate_space(request.user, space),
        takes_part=permissions.can_take_part(request.user, space, member),
        posting=permissions.post_decision(request.user, space, member),
    )


def shown_author(post, viewer, *, is_facilitator: bool, name: str | None = None) -> str:
    """The name shown on a post: anonymous posts show no name to anyone but their author.
    ``name`` is the author's name when it was read with the post (``str(post.author)``)."""
    if post.anonymous:
        if post.author_id == viewer.pk:
            return _("You (posted without your name)")
        return _("A member (posted without their name)")
    return name if name is not None else str(post.author)


POST_ORDER = selectors.POST_ORDER


def post_link(space: Space, post, *, after: str | None = None) -> str:
    """A link to ``post`` on its thread's page: the page the person was reading (``after``, its
    cursor, empty for the first page) or, with none, the page that starts with the post."""
    thread_url = reverse("community_thread", args=[space.slug, post.thread_id])
    if after == "":
        return f"{thread_url}#post-{post.pk}"
    cursor = after if after else cursor_starting_at(post, order=POST_ORDER)
    return f"{thread_url}?{urlencode({'after': cursor})}#post-{post.pk}"
