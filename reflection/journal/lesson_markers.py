""" "You reflected on this lesson": shown on a lesson page to the author of an entry linked to
it, and to nobody else. One query, and only for a signed-in person (``learning.markers``)."""

from __future__ import annotations

from learning.models import User
from learning.prepared import PreparedQuery
from reflection.journal.selectors import journal_entries_visible_to

# Asked on every lesson view: built once per process (learning/prepared.py). It reads an id,
# never an entry's encrypted text.
_REFLECTED = PreparedQuery(
    "journal.reflected_on_lesson",
    lambda slots: (
        journal_entries_visible_to(User(pk=slots.user_id))
        .filter(lesson_id=slots.lesson_id)
        .order_by()
        .values_list("pk", flat=True)[:1]
    ),
    slots={"user_id": int, "lesson_id": int},
)


def reflected_on_lesson(user, lesson_id: int) -> dict | None:
    if not user.is_authenticated or not _REFLECTED.all(user_id=user.pk, lesson_id=lesson_id):
        return None
    return {
        "template": "reflection/extras/lesson_marker.html",
        "context": {"lesson_id": lesson_id},
    }
