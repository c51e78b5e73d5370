"""What every community view needs: the space (through a scoped lookup), the person's
membership and whether they facilitate it, and the identifier-guard context."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from community import selectors
from community.models import Space, SpaceMember
from learning import permissions
from learning.identifiers import KIND_LABELS, find_identifiers
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
    space = selectors.space_readable_by(request.user, slug)
    if space is None:
        raise Http404
    member = selectors.membership_of(request.user, space)
    if not permissions.can_read_space(request.user, space, member):
        raise Http404
    return SpaceAccess(
        space=space,
        member=member,
        is_facilitator=permissions.can_moderate_space(request.user, space),
        takes_part=permissions.can_take_part(request.user, space, member),
        posting=permissions.post_decision(request.user, space, member),
    )


def highlighted(text: str, matches) -> list[tuple[str, str | None]]:
    pieces, at = [], 0
    for m in matches:
        if m.start > at:
            pieces.append((text[at : m.start], None))
        pieces.append((text[m.start : m.end], _(KIND_LABELS[m.kind])))
        at = m.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def identifier_items(form, names: list[str]) -> list[dict]:
    items = []
    for name in names:
        text = form.cleaned_data.get(name) or ""
        matches = find_identifiers(text)
        if matches:
            items.append(
                {
                    "label": form[name].label,
                    "id": form[name].auto_id,
                    "pieces": highlighted(text, matches),
                }
            )
    return items


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def shown_author(post, viewer, *, is_facilitator: bool) -> str:
    """The name shown on a post: anonymous posts show no name to anyone but their author."""
    if post.anonymous:
        if post.author_id == viewer.pk:
            return _("You (posted without your name)")
        return _("A member (posted without their name)")
    return str(post.author)
