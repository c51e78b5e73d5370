"""Mentions: resolved to people when a post is written or edited, and kept as rows.

A post's text keeps the names as typed ("@Sam Practitioner"); who was meant is decided once, at
write time, and stored in ``PostMention``. Pages and notices read those rows and never match
names in the text again, so a member who changes their name, or two members whose names are
alike, cannot change who a post mentioned.

Who was meant: a person chosen from the suggestions while typing (their id comes with the
post) if their name is still in the text after an @; without JavaScript, a member of the space
whose whole name follows an @, when no other member of the space has that name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from community.mentions import selectors
from community.models import Post, PostMention, Space
from learning.sanitise import sanitise_text

MENTION_MAX = 20
_AT_WORD = re.compile(r"(?:^|(?<=\s))@([^\s@]+)")


def _plain(text: str) -> str:
    """The text without tags or entities, through the core's one plain-text cleaner (an HTML
    parser that tolerates any markup: Python's own raises on some malformed declarations)."""
    return " ".join(sanitise_text(text).casefold().split())


def mentions_resolve(*, space: Space, body: str, chosen: Iterable[int] = ()) -> set[int]:
    """The ids of the people ``body`` mentions in ``space`` (at most ``MENTION_MAX``)."""
    text = _plain(body)
    if "@" not in text:
        return set()
    ids = {int(i) for i in chosen if isinstance(i, int)}
    words = {m.group(1) for m in _AT_WORD.finditer(text)}
    words = set(sorted(words)[:MENTION_MAX])
    people = selectors.mention_candidates(space, ids=ids, first_words=words)
    named: dict[str, list[int]] = {}
    for person in people:
        named.setdefault(" ".join(person.display_name.casefold().split()), []).append(person.pk)
    found: set[int] = set()
    for name, pks in named.items():
        if not _names_in(text, name):
            continue
        picked = [pk for pk in pks if pk in ids]
        if picked:
            found.update(picked)
        elif len(pks) == 1:
            found.add(pks[0])
    return set(sorted(found)[:MENTION_MAX])


def _names_in(text: str, name: str) -> bool:
    """``@name`` stands in ``text`` as a whole name (not the start of a longer word)."""
    return re.search(rf"(?:^|(?<=\s))@{re.escape(name)}(?![\w-])", text) is not None


def mentions_store(*, post: Post, ids: set[int]) -> set[int]:
    """Keep ``ids`` as the people ``post`` mentions; return those newly mentioned."""
    before = set(PostMention.objects.filter(post=post).values_list("user_id", flat=True))
    gone = before - ids
    if gone:
        PostMention.objects.filter(post=post, user_id__in=gone).delete()
    added = ids - before
    if added:
        PostMention.objects.bulk_create(PostMention(post=post, user_id=i) for i in sorted(added))
    return added
