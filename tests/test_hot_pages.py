"""The cheaper ways the busiest pages write their lists give the markup the template tags
gave: a report table's rows written by ``{% report_rows %}``, a chart's bars written without
``format_html`` and plain text stripped by one cleaner kept per process."""

from __future__ import annotations

import bleach
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from learning.reports.charts import chart_svg
from learning.reports.registry import ChartSpec, ReportTable
from learning.sanitise import sanitise_text

# The rows as the report table template wrote them before the tag.
TEMPLATE_ROWS = (
    "{% for row in table.rows %}\n"
    '    <tr class="nhsuk-table__row">\n'
    "      {% for cell in row %}{% if forloop.first %}"
    '<th scope="row" class="nhsuk-table__header">'
    "{% if table.total_row and forloop.parentloop.last %}<strong>{{ cell }}</strong>"
    '{% else %}{{ cell|default_if_none:"–" }}{% endif %}</th>'
    '{% else %}<td class="nhsuk-table__cell">'
    "{% if table.total_row and forloop.parentloop.last %}<strong>{{ cell }}</strong>"
    '{% else %}{{ cell|default_if_none:"–" }}{% endif %}</td>{% endif %}{% endfor %}\n'
    "    </tr>\n  {% endfor %}"
)
TAG_ROWS = "{% load hope_reports %}{% report_rows table %}"

ROWS = [
    ["Mother & baby <care>", 12, 0, None, "<5", 2.5],
    [gettext_lazy("Training by module"), 1234567, -3, 7, mark_safe("<em>kept</em>"), None],
    ["Total", 30, None, 5, "Hidden", 0.25],
]


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("total_row", [False, True])
def test_report_rows_are_what_the_template_wrote(language, total_row):
    table = ReportTable(caption="c", headers=["a"] * 6, rows=ROWS, total_row=total_row)
    with translation.override(language):
        expected = Template(TEMPLATE_ROWS).render(Context({"table": table}))
        written = Template(TAG_ROWS).render(Context({"table": table}))
    assert written == expected
    assert "Mother &amp; baby &lt;care&gt;" in written
    assert ("<strong>None</strong>" in written) is total_row


def test_a_chart_escapes_its_labels_and_suppressed_values():
    svg = chart_svg(ChartSpec(title="T & t", labels=["A <b>", "B"], values=[None, 3]), chart_id="c")
    assert '<tspan x="0" dy="0">A &lt;b&gt;</tspan>' in svg
    assert ">&lt;5</text>" in svg
    assert '<rect x="260" y="38" width="320.0" height="22" fill="#005eb8"></rect>' in svg
    assert '<text x="586.0" y="54" font-size="14" fill="#212b32">3</text>' in svg
    assert '<title id="c-title">T &amp; t</title>' in svg


def test_a_chart_is_drawn_once_for_its_figures_and_again_for_new_ones():
    from django.utils import translation

    def spec(values, labels=("Module A", "Module B")):
        return ChartSpec(title="Completed", labels=list(labels), values=list(values))

    first = chart_svg(spec([2, 3]), chart_id="c")
    assert chart_svg(spec([2, 3]), chart_id="c") is first  # kept, not drawn again
    changed = chart_svg(spec([2, 4]), chart_id="c")
    assert ">4</text>" in changed
    assert ">4</text>" not in first
    assert 'id="d-title"' in chart_svg(spec([2, 3]), chart_id="d")
    assert "Module C" in chart_svg(spec([2, 3], labels=("Module A", "Module C")), chart_id="c")
    assert ">&lt;5</text>" in chart_svg(spec([None, 3]), chart_id="c")
    with translation.override("cy"):
        welsh = chart_svg(spec([2, 3]), chart_id="c")
    assert welsh != first


@pytest.mark.parametrize(
    "text",
    [
        "<p>Mother &amp; baby</p>",
        "<script>alert(1)</script>plain",
        "<!-- note -->a <b>bold</b> <a href='javascript:x'>link</a>",
        "x < y & z",
        "",
    ],
)
def test_plain_text_is_what_bleach_clean_gives(text):
    import html

    cleaned = bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True)
    expected = html.unescape(cleaned) if text else ""
    assert sanitise_text(text) == expected
    assert sanitise_text(text) == expected  # the kept cleaner gives the same the second time


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_a_page_link_kept_per_process_is_wagtails_and_follows_a_move(language):
    from wagtail.models import Page

    from .module_factories import make_module

    module = make_module(lessons=1)
    lesson = module.get_children().specific().first()
    with translation.override(language):
        for page in (module, lesson):
            assert page.get_url_parts() == Page.get_url_parts(page)
            assert page.url == page.get_url_parts()[2]
        # A new slug is a new tree path: the link follows it.
        module.slug = "renamed-module"
        module.save()
        module.refresh_from_db()
        assert module.url.endswith("/renamed-module/")
        assert module.get_url_parts() == Page.get_url_parts(module)


def test_each_thread_cleans_with_its_own_cleaner():
    """bleach's cleaners hold parser state while working: two threads never share one."""
    import threading

    from learning import sanitise

    seen = {}

    def clean(name):
        sanitise.sanitise_text("<b>x</b>")
        seen[name] = (sanitise._text_cleaner(), sanitise._cleaner("rich"))

    threads = [threading.Thread(target=clean, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen["a"][0] is not seen["b"][0] and seen["a"][1] is not seen["b"][1]
    assert sanitise._text_cleaner() is sanitise._text_cleaner()  # made once in a thread
