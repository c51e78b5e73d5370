"""Small-number suppression (primary and secondary), the SVG charts and CSV cells."""

from __future__ import annotations

from learning.reports.charts import chart_svg
from learning.reports.csv_export import csv_cell, table_csv
from learning.reports.registry import ChartSpec, ReportTable
from learning.reports.suppression import SUPPRESSED, suppress_count, suppress_grid, with_totals


def test_counts_under_5_are_suppressed_and_5_is_shown():
    assert suppress_count(4) == SUPPRESSED == "<5"
    assert suppress_count(0) == SUPPRESSED
    assert suppress_count(5) == 5
    assert suppress_grid([[3, 10], [7, 8]]) == [["<5", 10], [7, 8]]  # no totals: primary only


def test_a_lone_suppressed_cell_in_a_row_with_a_total_hides_a_second_cell():
    # 3 + 10 + 12 = 25: with 10, 12 and 25 shown, 3 could be worked out.
    grid = suppress_grid([[3, 10, 12, 25]], row_totals=True)
    assert grid[0][0] == SUPPRESSED
    assert grid[0].count(SUPPRESSED) == 2
    assert grid[0][1] == SUPPRESSED  # the smallest other inner cell, not the total
    assert grid[0][3] == 25


def test_secondary_suppression_works_down_columns_with_a_total_row():
    grid = suppress_grid([[2, 9], [8, 6], [10, 15]], column_totals=True)
    # column 0: 2 hidden, so 8 hidden too (10 − 8 would give it)
    assert [row[0] for row in grid] == [SUPPRESSED, SUPPRESSED, 10]
    assert [row[1] for row in grid] == [9, 6, 15]


def test_secondary_suppression_repeats_until_no_line_gives_a_cell_away():
    counts = [[1, 20, 30], [10, 20, 6], [40, 7, 9]]
    table = with_totals(counts)
    shown = suppress_grid(table, row_totals=True, column_totals=True)
    for row in shown:  # every row with a hidden cell has at least two
        assert row.count(SUPPRESSED) in (0, 2, 3, 4)
    for col in zip(*shown, strict=True):
        assert col.count(SUPPRESSED) != 1
    assert shown[0][0] == SUPPRESSED


def test_a_total_under_5_hides_its_whole_line():
    shown = suppress_grid(with_totals([[1, 2], [10, 20]]), row_totals=True, column_totals=True)
    assert shown[0] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    # the columns then need a second hidden cell each
    assert [r[0] for r in shown].count(SUPPRESSED) >= 2


def test_with_totals_adds_a_column_and_a_row():
    assert with_totals([[1, 2], [3, 4]]) == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def test_charts_are_accessible_and_escape_labels():
    svg = str(
        chart_svg(
            ChartSpec(
                title="Completions <b>", labels=["<script>x</script>", "Two"], values=[3, None]
            ),
            chart_id="chart-test",
        )
    )
    assert 'role="img"' in svg and 'aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">Completions &lt;b&gt;</title>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;5" in svg  # a suppressed value has no bar
    assert svg.count("<rect") == 1


def test_csv_cells_cannot_run_as_formulas():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("+1") == "'+1" and csv_cell("-1") == "'-1"
    assert csv_cell(-0.5) == "-0.5"  # a number stays a number
    assert csv_cell(None) == ""
    text = table_csv(
        ReportTable(caption="c", headers=["Name", "N"], rows=[["=cmd|' /C calc'!A0", 3]])
    )
    assert text.splitlines()[1].startswith("'=cmd")
