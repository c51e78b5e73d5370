"""Lesson markers: short notes a lesson page shows to the person reading it ("You reflected on
this lesson"), provided by other apps without the core or ``modules`` importing them.

An app registers a provider in its ``AppConfig.ready()``: a callable ``(user, lesson_id)`` that
returns ``None`` (nothing to show) or a dict with ``template`` and ``context``. Providers are
asked only for a signed-in person, and each must cost at most one query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LessonMarker:
    key: str
    provide: Callable
    order: int = 100


_MARKERS: dict[str, LessonMarker] = {}


def register_lesson_marker(marker: LessonMarker) -> None:
    _MARKERS[marker.key] = marker


def lesson_markers_for(user, lesson_id: int) -> list[dict]:
    """What each registered provider has to show this person on this lesson (nothing, and no
    query, for someone not signed in)."""
    if user is None or not user.is_authenticated:
        return []
    shown = []
    for marker in sorted(_MARKERS.values(), key=lambda m: (m.order, m.key)):
        result = marker.provide(user, lesson_id)
        if result:
            shown.append({"key": marker.key, **result})
    return shown
