"""The identifier guard's core (learning/guard.py): what it raises, what it returns, the text and
HTML conversions, the panel's pieces, the one panel include and error summary, and a check that
no second copy of any of them appears elsewhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string

from learning.guard import (
    AUDIT_FIELD,
    Checked,
    IdentifiersFound,
    guard,
    highlight_pieces,
    html_to_text,
    panel_items,
    text_to_html,
)

ROOT = Path(__file__).resolve().parent.parent
APPS = ("learning", "modules", "reflection", "community")

# One example of each kind the guard warns about, and the text it should mark.
KINDS = [
    ("nhs_number", "Her NHS number is 943 476 5919.", "943 476 5919"),
    ("date", "She was born on 12/03/2024 at 3am.", "12/03/2024"),
    ("postcode", "She lives near SW1A 1AA now.", "SW1A 1AA"),
    ("phone", "Her mobile is 07700 900123.", "07700 900123"),
    ("email", "Write to jane.doe@example.com today.", "jane.doe@example.com"),
    ("case_number", "The court file is ZW24C50123.", "ZW24C50123"),
    ("name", "I sat with Mrs Jane Smith after the hearing.", "Mrs Jane Smith"),
]


@pytest.mark.parametrize(("kind", "text", "marked"), KINDS)
def test_each_kind_raises_with_its_matches_until_confirmed(kind, text, marked):
    with pytest.raises(IdentifiersFound) as excinfo:
        guard({"body": text, "title": "A hard day"}, confirmed=False)
    exc = excinfo.value
    assert list(exc.found) == ["body"]  # only the field with something in it
    assert [(m.kind, text[m.start : m.end]) for m in exc.found["body"]] == [(kind, marked)]
    assert exc.texts == {"body": text}
    assert "may identify a woman, a baby or a family" in exc.messages[0]
    checked = guard({"body": text, "title": "A hard day"}, confirmed=True)
    assert checked == Checked((kind,))
    assert checked.confirmed
    assert checked.audit == {AUDIT_FIELD: [kind]} == {"identifier_kinds": [kind]}
    assert marked not in repr(checked.audit)


def test_confirmed_returns_the_sorted_kinds_across_fields_once_each():
    checked = guard(
        {
            "title": "Call 07700 900123",
            "body": "NHS 943 476 5919, and again 943 476 5919, at SW1A 1AA.",
        },
        confirmed=True,
    )
    assert checked.kinds == ("nhs_number", "phone", "postcode")
    assert checked.audit == {"identifier_kinds": ["nhs_number", "phone", "postcode"]}


def test_clean_text_passes_without_confirmation_and_records_no_kinds():
    checked = guard({"body": "A long shift, and a good debrief after."}, confirmed=False)
    assert checked == Checked(())
    assert not checked.confirmed
    assert checked.audit == {"identifier_kinds": []}
    assert guard({}, confirmed=False).kinds == ()


def test_text_becomes_sanitised_paragraphs_and_back():
    html = text_to_html("One & two.\n\nThree <script>x</script>\nfour")
    assert html == "<p>One &amp; two.</p>\n\n<p>Three &lt;script&gt;x&lt;/script&gt;<br>four</p>"
    assert html_to_text(html) == "One & two.\n\nThree <script>x</script>\nfour"
    assert text_to_html("<p>Kept <strong>bold</strong><script>alert(1)</script></p>") == (
        "<p>Kept <strong>bold</strong>alert(1)</p>"
    )
    assert text_to_html("<h2>Heading</h2><p>x</p>", profile="post") == "Heading<p>x</p>"
    assert text_to_html("   ") == "" and html_to_text(None) == ""


def test_highlight_pieces_mark_each_match_with_what_it_may_be():
    text = "Ring 07700 900123 or write to a@b.org."
    exc = _found(text)
    pieces = highlight_pieces(text, exc.found["body"])
    assert "".join(p for p, _kind in pieces) == text
    assert pieces == [
        ("Ring ", None),
        ("07700 900123", "a phone number"),
        (" or write to ", None),
        ("a@b.org", "an email address"),
        (".", None),
    ]


class _Form(forms.Form):
    body = forms.CharField(label="Your post", widget=forms.Textarea)
    confirm_identifiers = forms.BooleanField(
        required=False, label="These details do not identify anyone"
    )


def test_panel_items_link_each_field_and_label_text_outside_the_form():
    exc = _found("NHS 943 476 5919", summary="Born 12/03/2024.")
    form = _Form({"body": "NHS 943 476 5919"})
    items = panel_items(exc, form, labels={"summary": "Learning summary"})
    assert [(i["label"], i["id"]) for i in items] == [
        ("Your post", "id_body"),
        ("Learning summary", "summary"),
    ]
    assert items[1]["pieces"] == [
        ("Born ", None),
        ("12/03/2024", "a date, which may be a date of birth"),
        (".", None),
    ]


def test_the_panel_include_highlights_then_asks_for_confirmation():
    exc = _found("Her NHS number is 943 476 5919.")
    form = _Form({"body": "Her NHS number is 943 476 5919."})
    context = {"identifiers": panel_items(exc, form), "form": form}
    panel = render_to_string(
        "includes/identifier_guard.html", {**context, "heading": "Check before you post"}
    )
    assert "Check before you post" in panel
    assert '<a href="#id_body">Your post</a>' in panel
    assert (
        '<mark class="hope-identifier">943 476 5919<span class="nhsuk-u-visually-hidden"> '
        "(an NHS number)</span></mark>" in panel
    )
    confirm = render_to_string("includes/identifier_guard.html", {**context, "part": "confirm"})
    assert 'name="confirm_identifiers" type="checkbox"' in confirm
    assert "checked" not in confirm  # the writer ticks it themselves each time
    assert "hope-identifier" not in confirm
    assert render_to_string("includes/identifier_guard.html", {"form": form}).strip() == ""


class _ChoiceForm(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, label="Kind"
    )


def test_the_error_summary_links_each_error_to_its_field():
    form = _ChoiceForm({})
    form.is_valid()
    form.add_error(None, "Something about the whole form.")
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert "There is a problem" in html
    assert "<li>Something about the whole form.</li>" in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_kind_0">This field is required.</a>' in html  # first radio
    one = render_to_string(
        "includes/error_summary.html", {"error": "Accept them.", "anchor": "accept"}
    )
    assert '<a href="#accept">Accept them.</a>' in one
    keyed = render_to_string(
        "includes/error_summary.html", {"errors": {7: "Choose one."}, "prefix": "outcome-"}
    )
    assert '<a href="#outcome-7-error">Choose one.</a>' in keyed
    assert render_to_string("includes/error_summary.html", {"form": _ChoiceForm()}).strip() == ""


def _found(body: str, **more: str) -> IdentifiersFound:
    with pytest.raises(IdentifiersFound) as excinfo:
        guard({"body": body, **more}, confirmed=False)
    return excinfo.value


# --- one copy only ---------------------------------------------------------------------------

# Names that would mean a second guard, conversion, highlight or error-mapping helper.
_COPY = re.compile(
    r"^(IdentifiersFound|\w*IdentifiersFound|text_to_html|html_to_text|_?highlight\w*"
    r"|\w*identifier_(items|context)|_?guard_context|add_errors)$"
)
_HOMES = {
    "learning/guard.py": {
        "IdentifiersFound",
        "text_to_html",
        "html_to_text",
        "highlight_pieces",
    },
}


def _definitions():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    yield path.relative_to(ROOT).as_posix(), node.name


def test_no_second_copy_of_the_guard_or_its_helpers():
    copies = [
        f"{path}: {name}"
        for path, name in _definitions()
        if _COPY.match(name) and name not in _HOMES.get(path, set())
    ]
    assert copies == []


def test_the_guard_helpers_are_defined_where_expected():
    found = {(path, name) for path, name in _definitions() if _COPY.match(name)}
    assert found == {(path, name) for path, names in _HOMES.items() for name in names}


def test_one_panel_include_and_one_error_summary_in_the_guarded_apps():
    templates = ROOT / "templates"
    marks = [
        p.relative_to(templates).as_posix()
        for p in templates.rglob("*.html")
        if 'class="hope-identifier"' in p.read_text()
    ]
    assert marks == ["includes/identifier_guard.html"]
    inline = [
        p.relative_to(templates).as_posix()
        for p in templates.rglob("*.html")
        if "nhsuk-error-summary__title" in p.read_text()
    ]
    assert sorted(inline) == ["includes/error_summary.html", "includes/identifier_guard.html"]
