"""Keyset pagination: pages by "rows after this one", never OFFSET or COUNT, so the cost of a
page does not grow with the table."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from learning.prepared import PreparedQuery, Slots

M = TypeVar("M", bound=Model)


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
    if isinstance(obj, dict):  # a values() row
        return obj[path]
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def _after(order: tuple[str, ...], values: list[Any]) -> Q:
    """Rows after ``values`` in ``order``: later in the first field, or equal in it and later
    in the next, and so on."""
    condition = Q()
    for i, field in enumerate(order):
        name, op = (field[1:], "lt") if field.startswith("-") else (field, "gt")
        step = Q(**{f"{name}__{op}": values[i]})
        for prev_field, prev_value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{prev_field.lstrip("-"): prev_value})
        condition |= step
    return condition


def _page(rows: list, order: tuple[str, ...], size: int, *, has_previous: bool) -> KeysetPage:
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = _encode([_value(last, f.lstrip("-")) for f in order])
    return KeysetPage(items=items, next_cursor=next_cursor, has_previous=has_previous)


def keyset_page(
    queryset: QuerySet, *, order: tuple[str, ...], cursor: str | None, size: int = 25
) -> KeysetPage:
    """One page of ``queryset`` ordered by ``order`` (field paths, ``"-field"`` for descending;
    the last must be unique, e.g. ``"pk"``). An unreadable cursor starts from the beginning."""
    values = _decode(cursor, len(order)) if cursor else None
    qs = queryset.order_by(*order)
    rows = None
    if values is not None:
        try:
            rows = list(qs.filter(_after(order, values))[: size + 1])
        except (ValidationError, ValueError, TypeError, OverflowError):
            # A cursor of the right shape whose values do not fit the fields (a hand-made
            # one): start from the beginning, as for an unreadable cursor.
            values = None
    if rows is None:
        rows = list(qs[: size + 1])
    return _page(rows, order, size, has_previous=values is not None)


_BIGGEST_ID = 2**63 - 1


def _as_kind(value: Any, kind: type) -> Any:
    """``value`` from a decoded cursor as ``kind``, or ``None`` if it is not one."""
    if kind is int:
        fits = type(value) is int and -_BIGGEST_ID <= value <= _BIGGEST_ID
        return value if fits else None
    if kind is str:
        return value if isinstance(value, str) else None
    if not isinstance(value, str):
        return None
    try:
        if kind is datetime:
            moment = parse_datetime(value)
            return moment if moment is not None and timezone.is_aware(moment) else None
        if kind is date:
            return parse_date(value)
    except ValueError:
        return None
    return None


def _typed(values: list[Any], kinds: tuple[type, ...]) -> list[Any] | None:
    """A decoded cursor's values as the kinds its fields hold, or ``None`` if one does not fit
    (a hand-made cursor), so the list starts from the beginning as ``keyset_page`` does."""
    out = [_as_kind(value, kind) for value, kind in zip(values, kinds, strict=True)]
    return None if any(value is None for value in out) else out


class PreparedKeyset(Generic[M]):
    """``keyset_page`` for a list a page shows on every visit, as two prepared queries
    (``learning.prepared``): the first page, and the page after a cursor, whose values are
    slots of the kinds ``kinds`` names (one per field of ``order``). ``build(slots, *shape)``
    returns the list's queryset, unordered and unsliced."""

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet[M]],
        *,
        slots: dict[str, type],
        order: tuple[str, ...],
        kinds: tuple[type, ...],
        size: int,
        optional: frozenset[str] = frozenset(),
    ):
        if len(order) != len(kinds):
            raise ValueError(f"{name}: one kind for each field of the order.")
        self.order, self.kinds, self.size = order, kinds, size
        after_slots = {f"after_{i}": kind for i, kind in enumerate(kinds)}

        def first(slots_: Slots, *shape: Any) -> QuerySet[M]:
            return build(slots_, *shape).order_by(*order)[: size + 1]

        def after(slots_: Slots, *shape: Any) -> QuerySet[M]:
            cursor = [getattr(slots_, name) for name in after_slots]
            return build(slots_, *shape).order_by(*order).filter(_after(order, cursor))[: size + 1]

        self._first = PreparedQuery(f"{name}.first", first, slots=slots, optional=optional)
        self._after = PreparedQuery(
            f"{name}.after", after, slots={**slots, **after_slots}, optional=optional
        )

    def after_values(self, cursor: str | None) -> list[Any] | None:
        """The values ``cursor`` names, typed, or ``None`` for no cursor or one that cannot be
        read (``page`` then starts from the beginning)."""
        decoded = _decode(cursor, len(self.order)) if cursor else None
        return _typed(decoded, self.kinds) if decoded is not None else None

    def page(self, *, cursor: str | None, shape: tuple = (), **values: Any) -> KeysetPage:
        """The page after ``cursor`` (the first page for none or an unreadable one)."""
        typed = self.after_values(cursor)
        if typed is None:
            rows = self._first.all(shape=shape, **values)
        else:
            cursor_values = {f"after_{i}": value for i, value in enumerate(typed)}
            rows = self._after.all(shape=shape, **values, **cursor_values)
        return _page(rows, self.order, self.size, has_previous=typed is not None)


def cursor_starting_at(obj: Any, *, order: tuple[str, ...]) -> str:
    """A cursor whose page starts with ``obj``, for a link to a row deep in a list. ``order``
    must be ascending and end with an integer ``"pk"``: the cursor names the row just before
    it (the same values, the key one less)."""
    values = [_value(obj, f) for f in order]
    values[-1] -= 1
    return _encode(values)
