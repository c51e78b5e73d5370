"""Permission-matrix rows for "your data" URLs (see tests/matrix_rows/__init__.py)."""

from __future__ import annotations

from . import Row

ROWS: list[Row] = []


def extend_context(ctx: dict) -> None:
    """Add the objects the rows above need to the shared matrix context."""
