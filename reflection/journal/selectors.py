"""Reads for the journal. Every read of an entry goes through ``journal_entries_visible_to``:
the author's own entries and nothing else, so "not yours" and "missing" are the same 404."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import F, QuerySet

from learning.guard import ConcernPattern
from learning.models import User
from learning.permissions import Person, is_signed_in
from learning.prepared import PreparedQuery
from reflection.models import JournalEntry, SafeguardingPhrase

PHRASES_CACHE_KEY = "hope:reflection:safeguarding-patterns"


def journal_entries_visible_to(user: Person) -> QuerySet[JournalEntry]:
    """The person's own entries. Anyone else's, superusers' included, are never here."""
    if not is_signed_in(user):
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(author_id=user.pk)


# An entry's page reads the entry on every visit, so the read is built once per process
# (learning/prepared.py). The lesson it was written from is read as its title only (the page
# shows nothing else of it), not as a lesson page with its body.
_ENTRY = PreparedQuery(
    "journal.entry",
    lambda slots: (
        journal_entries_visible_to(User(pk=slots.user_id))
        .filter(pk=slots.entry_id)
        .annotate(lesson_title=F("lesson__title"))
        .order_by()[:1]
    ),
    slots={"user_id": int, "entry_id": int},
)


def journal_entry_for(user: Person, entry_id: int) -> JournalEntry | None:
    """One of the person's own entries, with ``lesson_title`` (empty when it was not written
    from a lesson), or ``None``: someone else's entry and a missing one look the same."""
    if not is_signed_in(user):
        return None
    return _ENTRY.first(user_id=user.pk, entry_id=entry_id)


def journal_entry_matches(entry: JournalEntry, *, query: str = "", tag: str = "") -> bool:
    """Search and tag filter, done on decrypted text in the application."""
    if tag and tag.casefold() not in {t.casefold() for t in entry.tag_list}:
        return False
    if query:
        haystack = " ".join(
            [entry.title, entry.tags, entry.summary, entry.prompt, *entry.sections.values()]
        ).casefold()
        return all(word in haystack for word in query.casefold().split())
    return True


def journal_entry_ids_matching(
    user: User, *, query: str = "", tag: str = "", model: str = ""
) -> list:
    """Ids of the person's entries matching a search or tag (one query, decrypting their own
    entries only)."""
    qs = journal_entries_visible_to(user).only(
        "pk", "title", "tags", "summary", "prompt", "body_json"
    )
    if model:
        qs = qs.filter(model=model)
    return [e.pk for e in qs if journal_entry_matches(e, query=query, tag=tag)]


def safeguarding_phrase_list() -> list[ConcernPattern]:
    """The editable safeguarding patterns (cached; an edit in the admin clears the cache)."""
    patterns = cache.get(PHRASES_CACHE_KEY)
    if patterns is None:
        patterns = [
            ConcernPattern(phrase, window, not_current)
            for phrase, window, not_current in SafeguardingPhrase.objects.values_list(
                "phrase", "window", "not_current"
            )
        ]
        cache.set(PHRASES_CACHE_KEY, patterns, 3600)
    return patterns


def forget_safeguarding_phrases(**kwargs: Any) -> None:
    cache.delete(PHRASES_CACHE_KEY)
