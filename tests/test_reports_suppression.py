"""Small-number suppression (primary and secondary), the SVG charts and CSV cells."""

from __future__ import annotations

from learning.reports.charts import chart_svg
from learning.reports.csv_export import csv_cell, table_csv
from learning.reports.registry import ChartSpec, ReportTable
from learning.reports.suppression import SUPPRESSED, suppress_count, with_totals


def test_a_count_on_its_own_is_shown_as_less_than_5_or_rounded():
    assert suppress_count(4) == SUPPRESSED == "<5"
    assert suppress_count(0) == 0  # a zero reveals nobody
    assert suppress_count(5) == 5 and suppress_count(8) == 10


def test_with_totals_adds_a_column_and_a_row():
    assert with_totals([[1, 2], [3, 4]]) == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def test_charts_are_accessible_and_escape_labels():
    svg = str(
        chart_svg(
            ChartSpec(
                title="Completions <b>",
                labels=["<script>x</script>", "Two", "Three"],
                values=[3, None, "Hidden"],
            ),
            chart_id="chart-test",
        )
    )
    assert 'role="img"' in svg and 'aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">Completions &lt;b&gt;</title>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;5" in svg  # a suppressed value has no bar
    assert svg.count("<rect") == 1 and ">Hidden</text>" in svg


def test_chart_labels_are_wrapped_never_cut_short():
    import re

    outcome = (
        "Family justice processes: By the end of this module you can explain the Public Law "
        "Outline to a mother"
    )
    svg = str(
        chart_svg(
            ChartSpec(title="Confidence", labels=[outcome, "Short"], values=[2, 3]),
            chart_id="chart-long",
        )
    )
    assert "…" not in svg
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(lines[:-1]) == outcome and lines[-1] == "Short"
    assert all(len(line) <= 34 for line in lines)
    # The second bar starts below every line of the first label.
    first, second = (float(y) for y in re.findall(r'<rect x="\d+" y="([\d.]+)"', svg))
    assert second - first >= len(lines[:-1]) * 17


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
