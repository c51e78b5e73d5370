""" "You reflected on this lesson": shown on a lesson page to the author of an entry linked to
it, and to nobody else. One query, and only for a signed-in person (``learning.markers``)."""

from __future__ import annotations

from reflection.journal.selectors import journal_entries_visible_to


def reflected_on_lesson(user, lesson_id: int) -> dict | None:
    if not journal_entries_visible_to(user).filter(lesson_id=lesson_id).exists():
        return None
    return {
        "template": "reflection/extras/lesson_marker.html",
        "context": {"lesson_id": lesson_id},
    }
