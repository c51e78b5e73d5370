"""Server-side SVG bar charts. Each chart is drawn beside a table holding the same figures, so
no number can be read only from a chart. Labels are escaped; the SVG carries ``role="img"``, a
``<title>`` and a ``<desc>``, tied to it with ``aria-labelledby``."""

from __future__ import annotations

from django.utils import translation
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from learning.cache import local_memo
from learning.reports.registry import ChartSpec
from learning.reports.suppression import SUPPRESSED

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_AREA = 320
VALUE_WIDTH = 70


LINE_HEIGHT = 17
LINE_CHARS = 34  # what fits in LABEL_WIDTH at 14px


def _lines(label: str, width: int = LINE_CHARS) -> list[str]:
    """A label wrapped onto as many lines as it needs, at spaces: never cut short, so a long
    learning outcome can still be read in full. A word longer than a line stays whole."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# Charts kept per process: the drawing is a pure function of the figures, so a chart is drawn
# once for each set of figures (a report read again, or by another admin, gets it without
# drawing). New figures make a new key.
CHART_MEMO_SIZE = 128


def _figure(value) -> tuple:
    if value is None or type(value) in (int, float):
        return (type(value), value)
    return (str, str(value))


def chart_svg(chart: ChartSpec, *, chart_id: str) -> SafeString:
    """A horizontal bar chart. A value that is not a number ("<5", "Hidden", or ``None`` for
    "<5") is drawn as no bar with that text beside it."""
    key = (
        translation.get_language(),
        chart_id,
        str(chart.title),
        str(chart.unit),
        tuple(str(label) for label in chart.labels),
        tuple(_figure(value) for value in chart.values),
    )
    return local_memo(
        "report_chart", key, lambda: _draw(chart, chart_id=chart_id), size=CHART_MEMO_SIZE
    )


def _draw(chart: ChartSpec, *, chart_id: str) -> SafeString:
    shown = [v for v in chart.values if isinstance(v, int | float)]
    top = max(shown, default=0) or 1
    wrapped = [_lines(str(label)) for label in chart.labels]
    rows = [max(BAR_HEIGHT, len(lines) * LINE_HEIGHT + 5) for lines in wrapped]
    height = sum(rows) + GAP * (len(rows) + 1) if rows else BAR_HEIGHT + 2 * GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    title_id = f"{chart_id}-title"
    desc_id = f"{chart_id}-desc"
    parts = [
        format_html(
            '<svg class="hope-chart" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" '
            'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
            title_id,
            desc_id,
            width,
            height,
        ),
        format_html('<title id="{}">{}</title>', title_id, chart.title),
        format_html(
            '<desc id="{}">{}</desc>',
            desc_id,
            _("The same figures are in the table beside this chart."),
        ),
    ]
    # Each bar's parts are written with f-strings: the numbers are ours, and every text is
    # escaped as ``format_html`` would escape it (without its cost for each of the
    # five to eight parts of each of up to 50 bars).
    next_y = GAP
    for lines, row, value in zip(wrapped, rows, chart.values, strict=True):
        y, next_y = next_y, next_y + row + GAP
        text_y = y + BAR_HEIGHT - 6
        spans = "".join(
            f'<tspan x="0" dy="{0 if n == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text x="0" y="{text_y}" font-size="14" fill="#212b32">{spans}</text>')
        if not isinstance(value, int | float):
            shown = conditional_escape(SUPPRESSED if value is None else str(value))
            parts.append(
                f'<text x="{LABEL_WIDTH}" y="{text_y}" font-size="14" fill="#212b32">{shown}</text>'
            )
            continue
        bar = round(BAR_AREA * (float(value) / top), 1) if value > 0 else 0
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
            'fill="#005eb8"></rect>'
        )
        shown_value = f"{value:g}{chart.unit}" if isinstance(value, float) else f"{value}"
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{text_y}" font-size="14" fill="#212b32">'
            f"{escape(shown_value)}</text>"
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 (every part escaped above)
