"""Small-number protection for national figures, done the way official statistics do it.

1. Primary suppression: a count of 1 to 4 is shown as "<5". A zero is shown as 0: it reveals
   nobody, so it is never hidden and never used to protect another cell.
2. Secondary suppression: where a line (a row, a column, or the totals) has exactly one hidden
   cell, the next smallest non-zero cell of that line is hidden too ("Hidden"), preferring an
   inner cell to a total. This repeats until no line has exactly one hidden cell.
3. A check that works the way someone trying to subtract would: every figure becomes the range
   it could be (a "<5" is 1 to 4, a "Hidden" cell is 5 or more, a rounded count is 2 either
   side), and the sums of each line narrow those ranges until nothing changes. While any "<5"
   cell is narrowed to a single value, one more cell of a line through it is hidden.
4. Every count still shown is rounded to the nearest 5, each on its own (totals may not add up).

Cells are keyed by anything hashable, so several tables that share figures (the same totals
grouped by kind of service and by region) are protected together: a figure hidden in one is
hidden in the other. ``protect_counts`` is the one function every national table, chart and CSV
file goes through.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from django.utils.translation import gettext_lazy as _

SUPPRESSED = "<5"
HIDDEN = "Hidden"
THRESHOLD = 5
ROUND_TO = 5
UNBOUNDED = 10**9

Line = tuple[Hashable, Sequence[Hashable]]  # (total, the cells it is the sum of)


def round_count(value: int) -> int:
    """To the nearest 5 (halves cannot happen with whole numbers): 7 → 5, 8 → 10."""
    return ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO)


def is_protected(shown) -> bool:
    return shown in (SUPPRESSED, HIDDEN)


def shown_range(shown) -> tuple[int, int]:
    """What a shown figure tells a reader about the real count."""
    if shown == SUPPRESSED:
        return 1, THRESHOLD - 1
    if shown == HIDDEN:
        return THRESHOLD, UNBOUNDED
    if shown == 0:
        return 0, 0
    half = ROUND_TO // 2
    return max(THRESHOLD, shown - half), shown + half


def narrow_ranges(
    ranges: dict[Hashable, tuple[int, int]], lines: Sequence[Line]
) -> dict[Hashable, tuple[int, int]]:
    """Subtract repeatedly: each line's total lies between the sums of its cells' ranges, and
    each cell between the total less the others. Returns the narrowest ranges reached."""
    out = dict(ranges)
    for _round in range(200):
        changed = False
        for total, parts in lines:
            lo_sum = sum(out[p][0] for p in parts)
            hi_sum = min(sum(out[p][1] for p in parts), UNBOUNDED)
            t_lo, t_hi = out[total]
            new_total = (max(t_lo, lo_sum), min(t_hi, hi_sum))
            if new_total != out[total]:
                out[total], changed = new_total, True
            t_lo, t_hi = out[total]
            for p in parts:
                others_lo = sum(out[o][0] for o in parts if o != p)
                others_hi = sum(out[o][1] for o in parts if o != p)
                p_lo, p_hi = out[p]
                new = (max(p_lo, t_lo - others_hi), min(p_hi, t_hi - others_lo))
                if new != out[p]:
                    out[p], changed = new, True
        if not changed:
            break
    return out


def _display(values, hidden, primary) -> dict[Hashable, int | str]:
    return {
        k: SUPPRESSED if k in primary else HIDDEN if k in hidden else round_count(v)
        for k, v in values.items()
    }


def _hide_one(values, candidates, totals, order) -> Hashable | None:
    if not candidates:
        return None
    return min(candidates, key=lambda k: (k in totals, values[k], order[k]))


def protect_counts(values: dict[Hashable, int], lines: Sequence[Line]) -> dict[Hashable, int | str]:
    """Every cell of ``values`` as it may be shown: a rounded count, "<5" or "Hidden".
    ``lines`` say which cells add up to which totals (a total may be in several lines)."""
    order = {k: i for i, k in enumerate(values)}
    totals = {total for total, _parts in lines}
    members = [[*parts, total] for total, parts in lines]
    primary = {k for k, v in values.items() if 0 < v < THRESHOLD}
    hidden = set(primary)
    while True:
        changed = True
        while changed:  # secondary suppression: no line with exactly one hidden cell
            changed = False
            for line in members:
                if sum(1 for k in line if k in hidden) != 1:
                    continue
                pick = _hide_one(
                    values, [k for k in line if k not in hidden and values[k]], totals, order
                )
                if pick is not None:
                    hidden.add(pick)
                    changed = True
        shown = _display(values, hidden, primary)
        ranges = narrow_ranges({k: shown_range(v) for k, v in shown.items()}, lines)
        exposed = [k for k in values if k in primary and ranges[k][0] >= ranges[k][1]]
        if not exposed:
            return shown
        target = exposed[0]
        candidates = {
            k for line in members if target in line for k in line if k not in hidden and values[k]
        }
        pick = _hide_one(values, candidates, totals, order)
        if pick is None:  # nothing left to hide: every cell near it already is
            return shown
        hidden.add(pick)


def suppress_grid(
    grid: list[list[int]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
) -> list[list[int | str]]:
    """One table of counts. With ``row_totals`` its last column is each row's total, with
    ``column_totals`` its last row is each column's total."""
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    values = {(r, c): grid[r][c] for r in range(n_rows) for c in range(n_cols)}
    lines: list[Line] = []
    if row_totals:
        lines += [((r, n_cols - 1), [(r, c) for c in range(n_cols - 1)]) for r in range(n_rows)]
    if column_totals:
        lines += [((n_rows - 1, c), [(r, c) for r in range(n_rows - 1)]) for c in range(n_cols)]
    shown = protect_counts(values, lines)
    return [[shown[(r, c)] for c in range(n_cols)] for r in range(n_rows)]


def protect_groupings(
    counts: dict[tuple[Hashable, str, str], int],
    *,
    rows: Sequence[Hashable],
    groupings: dict[str, Sequence[str]],
    group_of: dict[str, int],
    column_totals: bool = False,
) -> dict[str, list[list[int | str]]]:
    """Counts keyed ``(row, kind, region)`` shown as one table per grouping (``groupings``
    maps "kind" and "region" to their values; ``group_of`` says which part of the key each
    uses). Each table is rows × groups with a total column (and a total row). The totals are
    the same figures whichever grouping is chosen, so both tables are protected together."""
    values: dict[Hashable, int] = {}
    lines: list[Line] = []
    for row in rows:
        values[("total", row)] = sum(n for key, n in counts.items() if key[0] == row)
    if column_totals:
        values[("grand",)] = sum(values[("total", row)] for row in rows)
        lines.append((("grand",), [("total", row) for row in rows]))
    for name, groups in groupings.items():
        at = group_of[name]
        for row in rows:
            for g in groups:
                values[(name, row, g)] = sum(
                    n for key, n in counts.items() if key[0] == row and key[at] == g
                )
            lines.append((("total", row), [(name, row, g) for g in groups]))
        if column_totals:
            for g in groups:
                values[(name, "column", g)] = sum(values[(name, row, g)] for row in rows)
                lines.append(((name, "column", g), [(name, row, g) for row in rows]))
            lines.append((("grand",), [(name, "column", g) for g in groups]))
    shown = protect_counts(values, lines)
    tables = {}
    for name, groups in groupings.items():
        table = [[*(shown[(name, row, g)] for g in groups), shown[("total", row)]] for row in rows]
        if column_totals:
            table.append([*(shown[(name, "column", g)] for g in groups), shown[("grand",)]])
        tables[name] = table
    return tables


def mean_shown(people: int, *, differences: Sequence[int] = ()) -> bool:
    """Whether a mean over ``people`` may be shown: only over 5 or more, and only if every
    other period it could be compared with differs by nobody or by 5 or more people
    (otherwise subtracting one mean from the other gives a few people's own ratings)."""
    return people >= THRESHOLD and all(d == 0 or d >= THRESHOLD for d in differences)


def suppress_count(value: int) -> int | str:
    """One count on its own: "<5" for 1 to 4, otherwise rounded to the nearest 5."""
    return SUPPRESSED if 0 < value < THRESHOLD else round_count(value)


def with_totals(grid: list[list[int]]) -> list[list[int]]:
    """Add a total column to each row and a total row at the bottom."""
    rows = [[*row, sum(row)] for row in grid]
    if rows:
        rows.append([sum(col) for col in zip(*rows, strict=True)])
    return rows


EXPLANATION = _(
    "“<5” means a count of 1 to 4. “Hidden” means a larger figure we have hidden so that "
    "a “<5” cannot be worked out by taking one figure away from another, such as a total. "
    "Every other count is rounded to the nearest 5, so totals may not add up exactly. "
    "A 0 means nobody."
)
MEAN_EXPLANATION = _(
    "Averages are only shown where 5 or more people gave ratings, and where they cannot be "
    "compared with another period to work out a few people's own ratings."
)
