"""Keyset pagination: pages by "rows after this one", never OFFSET or COUNT, so the cost of a
page does not grow with the table."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    has_previous: bool


def _encode(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def encode_cursor(values: list[Any]) -> str:
    """The cursor for "rows after these order values", to open a list at a given row."""
    return _encode(values)


def _decode(cursor: str, length: int) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    return values


def _value(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def keyset_page(
    queryset: QuerySet, *, order: tuple[str, ...], cursor: str | None, size: int = 25
) -> KeysetPage:
    """One page of ``queryset`` ordered by ``order`` (field paths, ``"-field"`` for descending;
    the last must be unique, e.g. ``"pk"``). An unreadable cursor starts from the beginning."""
    values = _decode(cursor, len(order)) if cursor else None
    qs = queryset.order_by(*order)
    rows = None
    if values is not None:
        condition = Q()
        for i, field in enumerate(order):
            name, op = (field[1:], "lt") if field.startswith("-") else (field, "gt")
            step = Q(**{f"{name}__{op}": values[i]})
            for prev_field, prev_value in zip(order[:i], values[:i], strict=True):
                step &= Q(**{prev_field.lstrip("-"): prev_value})
            condition |= step
        try:
            rows = list(qs.filter(condition)[: size + 1])
        except (ValidationError, ValueError, TypeError, OverflowError):
            # A cursor of the right shape whose values do not fit the fields (a hand-made
            # one): start from the beginning, as for an unreadable cursor.
            values = None
    if rows is None:
        rows = list(qs[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = _encode([_value(last, f.lstrip("-")) for f in order])
    return KeysetPage(items=items, next_cursor=next_cursor, has_previous=values is not None)


def cursor_starting_at(obj: Any, *, order: tuple[str, ...]) -> str:
    """A cursor whose page starts with ``obj``, for a link to a row deep in a list. ``order``
    must be ascending and end with an integer ``"pk"``: the cursor names the row just before
    it (the same values, the key one less)."""
    values = [_value(obj, f) for f in order]
    values[-1] -= 1
    return _encode(values)
