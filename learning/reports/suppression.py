"""Small-number suppression for national figures.

Any count under the threshold (5) is shown as "<5" (primary suppression). Where a table has
totals, a lone suppressed cell in a row or column could be worked out by subtraction, so a
second cell in that line is suppressed too (secondary suppression), repeated until no line has
exactly one suppressed cell.
"""

from __future__ import annotations

SUPPRESSED = "<5"
THRESHOLD = 5


def suppress_grid(
    grid: list[list[int]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    threshold: int = THRESHOLD,
) -> list[list[int | str]]:
    """``grid`` of counts; with ``row_totals`` its last column is each row's total, with
    ``column_totals`` its last row is each column's total. Returns the grid with suppressed
    cells replaced by ``"<5"``."""
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    hidden = {(r, c) for r in range(n_rows) for c in range(n_cols) if grid[r][c] < threshold}

    def lines():
        if row_totals:
            for r in range(n_rows):
                yield [(r, c) for c in range(n_cols)]
        if column_totals:
            for c in range(n_cols):
                yield [(r, c) for r in range(n_rows)]

    changed = True
    while changed:
        changed = False
        for line in lines():
            in_line = [cell for cell in line if cell in hidden]
            if len(in_line) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden]
            if not candidates:
                continue

            # Prefer an inner cell over a total, then the smallest count (least information lost).
            def cost(cell, _last_c=n_cols - 1, _last_r=n_rows - 1):
                r, c = cell
                is_total = (row_totals and c == _last_c) or (column_totals and r == _last_r)
                return (is_total, grid[r][c], r, c)

            hidden.add(min(candidates, key=cost))
            changed = True
    return [
        [SUPPRESSED if (r, c) in hidden else grid[r][c] for c in range(n_cols)]
        for r in range(n_rows)
    ]


def suppress_count(value: int, *, threshold: int = THRESHOLD) -> int | str:
    return SUPPRESSED if value < threshold else value


def with_totals(grid: list[list[int]]) -> list[list[int]]:
    """Add a total column to each row and a total row at the bottom."""
    rows = [[*row, sum(row)] for row in grid]
    if rows:
        rows.append([sum(col) for col in zip(*rows, strict=True)])
    return rows
