"""The sanitiser against the project's own payloads and, where present, the public XSS corpus
(``HOPE_XSS_CORPUS``, by default ``security/xss`` in the folder beside the checkout): in four
contexts, nothing dangerous may come out."""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from learning.sanitise import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    PROFILES,
    is_safe_url,
    safe_url,
    sanitise_html,
    sanitise_text,
    url_scheme,
)

HERE = Path(__file__).resolve().parent
OWN_PAYLOADS = HERE / "xss_payloads.txt"
CORPUS = Path(os.environ.get("HOPE_XSS_CORPUS", HERE.parent.parent / "shared" / "security" / "xss"))


def _load(path: Path) -> list[str]:
    return [
        line.rstrip("\n")
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    ]


def own_payloads() -> list[str]:
    return _load(OWN_PAYLOADS)


def corpus_payloads() -> list[str]:
    if not CORPUS.is_dir():
        return []
    payloads: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        payloads.extend(_load(path))
    return payloads


CONTEXTS = {
    "bare": "{}",
    "in a paragraph": "<p>Before {} after</p>",
    "as a link target": '<a href="{}">link</a>',
    "between paragraphs": "<p>one</p>{}<p>two</p>",
}

EVENT_ATTR = re.compile(r"^on", re.I)


class _Inspector(HTMLParser):
    def __init__(self, allowed_tags):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.allowed_tags:
            self.problems.append(f"tag <{tag}>")
        allowed_attrs = [*ALLOWED_ATTRIBUTES.get(tag, []), "rel"]
        for name, value in attrs:
            if name not in allowed_attrs or EVENT_ATTR.match(name):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "href" and value is not None and not is_safe_url(value):
                self.problems.append(f"unsafe href {value!r}")
            if name == "href" and value:
                scheme = url_scheme(value)
                if scheme and scheme not in ALLOWED_PROTOCOLS:
                    self.problems.append(f"scheme {scheme!r}")

    handle_startendtag = handle_starttag


def dangers(html: str, profile: str = "rich") -> list[str]:
    inspector = _Inspector(PROFILES[profile])
    inspector.feed(html)
    inspector.close()
    # Text is inert once escaped; what matters is any markup the parser sees as a tag.
    return inspector.problems


def _check_all(payloads: list[str]) -> list[str]:
    failures = []
    for payload in payloads:
        for context_name, template in CONTEXTS.items():
            for profile in PROFILES:
                out = sanitise_html(template.format(payload), profile=profile)
                found = dangers(str(out), profile)
                if found:
                    failures.append(f"{context_name}/{profile}: {payload!r} -> {out!r}: {found}")
    return failures


def test_own_payload_list_is_substantial():
    assert len(own_payloads()) >= 70


def test_own_payloads_produce_nothing_dangerous():
    failures = _check_all(own_payloads())
    assert not failures, "\n".join(failures[:20])


@pytest.mark.skipif(
    not CORPUS.is_dir() and os.environ.get("CI", "").lower() != "true",
    reason="the public XSS corpus (HOPE_XSS_CORPUS) is not beside this checkout",
)
def test_public_corpus_produces_nothing_dangerous():
    payloads = corpus_payloads()
    assert len(payloads) > 1000, f"expected the public corpus at {CORPUS}"
    failures = _check_all(payloads)
    assert not failures, f"{len(failures)} unsafe outputs, e.g.:\n" + "\n".join(failures[:20])


@pytest.mark.parametrize("payload", own_payloads()[:40])
def test_payloads_rendered_through_a_template_stay_inert(payload):
    """What a template prints from sanitised HTML, and from autoescaped text, is inert."""
    template = Template("<div>{{ html }}</div><p>{{ text }}</p>")
    out = template.render(
        Context({"html": sanitise_html(payload, profile="post"), "text": sanitise_text(payload)})
    )
    assert not [d for d in dangers(out, "post") if "div" not in d]


def test_allowed_markup_survives():
    html = (
        "<p>I felt <strong>unsure</strong> and <em>tired</em>.</p><ul><li>one</li></ul>"
        '<blockquote>quoted</blockquote><a href="https://www.nhs.uk/">NHS</a>'
    )
    out = str(sanitise_html(html, profile="reflection"))
    assert "<strong>unsure</strong>" in out
    assert "<em>tired</em>" in out
    assert "<li>one</li>" in out
    assert "<blockquote>quoted</blockquote>" in out
    assert 'href="https://www.nhs.uk/"' in out
    assert 'rel="nofollow noopener noreferrer"' in out


def test_headings_only_in_rich_profile():
    assert "<h2>" in str(sanitise_html("<h2>Title</h2>", profile="rich"))
    assert "<h2>" not in str(sanitise_html("<h2>Title</h2>", profile="post"))


def test_sanitise_text_strips_every_tag():
    assert sanitise_text("<b>bold</b> <script>x</script>") == "bold x"
    assert sanitise_text(None) == ""


# Text as people type it, and the characters the cleaner treats specially.
_TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(list("<>&;#\"'=/ \t\n\r\x00\x0b\x0c\x1f\x7f\x85\u2028\ufffe")),
        st.sampled_from(["<b>", "</p>", "&amp;", "&#60;", "&lt;", "<!-- x -->", "<script>"]),
    ),
    max_size=40,
).map("".join)


@hypothesis_settings(max_examples=500, deadline=None)
@given(text=_TEXT)
def test_plain_text_skips_the_parser_and_gives_what_the_cleaner_gives(text):
    """Text with no "<", no "&" and no control character the parser replaces is returned as it
    came; everything else is cleaned. Either way the result is the cleaner's."""
    from learning.sanitise import _text_cleaner

    assert sanitise_text(text) == html.unescape(_text_cleaner().clean(text))


def test_plain_prose_is_returned_unchanged_and_control_characters_are_not():
    prose = "Mother and baby — “kept” > 'as typed', 100% (tab\there)"
    assert sanitise_text(prose) == prose
    assert sanitise_text("a\x0bb") == "a?b"
    assert sanitise_text("a &amp; b") == "a & b"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("/journal/", "/journal/"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("javascript:alert(1)", ""),
        (" javascript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("//evil.example/", ""),
        ("data:text/html,x", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_post_cleaning_is_remembered_and_reflections_never_are():
    from learning import sanitise

    sanitise._clean_post.cache_clear()
    dirty = '<p>Hello <script>alert(1)</script><a href="javascript:x">link</a></p>'
    first = sanitise.sanitise_html(dirty, profile="post")
    second = sanitise.sanitise_html(dirty, profile="post")
    assert first == second
    assert "<script" not in first and "javascript:" not in first
    assert sanitise._clean_post.cache_info().hits == 1
    before = sanitise._clean_post.cache_info()
    sanitise.sanitise_html("<p>A private reflection</p>", profile="reflection")
    assert sanitise._clean_post.cache_info() == before


def test_only_the_sanitiser_removes_tags():
    """Tags are removed in one place, the core's sanitiser (bleach's tolerant parser). Django's
    ``strip_tags`` runs Python's HTML parser, which raises on some malformed declarations
    (``<![>``): a post or summary holding one would be a server error."""
    found = []
    for app in ("learning", "modules", "reflection", "community"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if path.as_posix().endswith("learning/sanitise.py"):
                continue
            if "strip_tags" in path.read_text(encoding="utf-8"):
                found.append(path.relative_to(settings.BASE_DIR).as_posix())
    assert found == []


@pytest.mark.parametrize("payload", own_payloads())
def test_mentions_read_any_payload_without_failing(payload):
    """Who a post mentions is read from its plain text: every payload gives one line of
    case-folded text, never an exception."""
    from community.mentions.services import _plain

    text = _plain(payload)
    assert text == text.casefold() and "\n" not in text
    assert "<img" not in text or "&lt;img" in payload.lower()
