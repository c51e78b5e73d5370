"""The one sanitiser. Every piece of user-written HTML passes through here before it is stored
or shown; this is the only module in the project that imports bleach.

Allow-lists are explicit and small: what reflection and discussion need (paragraphs, emphasis,
lists, quotes, links), nothing that can run code or load anything.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

import bleach
from bleach.linkifier import Linker
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "a", "h2", "h3"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Profiles let each kind of text be stricter than the base list.
PROFILES: dict[str, frozenset[str]] = {
    "rich": ALLOWED_TAGS,
    "reflection": ALLOWED_TAGS - {"h2", "h3"},
    "post": ALLOWED_TAGS - {"h2", "h3"},
    "inline": frozenset({"strong", "em", "b", "i"}),
}


_URL_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))


def url_scheme(url: str) -> str:
    """The scheme a browser would see (WHATWG URL parsing: leading and trailing control
    characters and spaces dropped, tabs and newlines removed anywhere); "" if relative."""
    cleaned = url.strip(_C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    match = _URL_SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def is_safe_url(url: str) -> bool:
    """True only for absolute http(s) and mailto links and for site paths (``/…``, ``#…``)."""
    if not url or any(ord(ch) < 0x20 or ch in "\x7f\\" for ch in url):
        return False
    scheme = url_scheme(url)
    if scheme:
        return scheme in ALLOWED_PROTOCOLS and url == url.strip()
    return (url.startswith("/") and not url.startswith("//")) or url.startswith("#")


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name == "href":
        return is_safe_url(value)
    return True


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


# bleach's cleaners and linkers keep parser state while they work, so they are not safe to share
# between threads: each thread (a threaded development server, a threaded worker) makes its
# own, once, and reuses it for every call after.
_per_thread = threading.local()
T = TypeVar("T")


def _made_once(key: str, make: Callable[[], T]) -> T:
    made = _per_thread.__dict__.setdefault("made", {})
    if key not in made:
        made[key] = make()
    return made[key]


def _cleaner(profile: str) -> bleach.Cleaner:
    tags = PROFILES[profile]
    return _made_once(
        f"cleaner:{profile}",
        lambda: bleach.Cleaner(
            tags=tags,
            attributes=_allow_attribute if "a" in tags else {},
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        ),
    )


def _linker() -> Linker:
    return _made_once(
        "linker",
        lambda: Linker(callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False),
    )


def _clean(value: str, profile: str) -> str:
    cleaned = _cleaner(profile).clean(value)
    if "a" in PROFILES[profile]:
        cleaned = _linker().linkify(cleaned)
    return cleaned


# Community posts are cleaned when written and again every time they are shown; a thread page
# of 25 replies spent a fifth of its time in bleach. The cleaning is a pure function of the text
# and the profile, so each process remembers its last results for post text only — never for
# reflections, which must not linger in memory beyond the request that decrypted them.
MEMO_PROFILES = frozenset({"post"})


@lru_cache(maxsize=2048)
def _clean_post(value: str, profile: str) -> str:
    return _clean(value, profile)


def sanitise_html(value: str | None, *, profile: str = "rich") -> SafeString:
    """Clean user-written HTML with the profile's allow-list, add safe ``rel`` to links and
    drop any link whose target is not a safe URL. The result is marked safe for templates."""
    if not value:
        return mark_safe("")
    value = str(value)
    cleaned = _clean_post(value, profile) if profile in MEMO_PROFILES else _clean(value, profile)
    return mark_safe(cleaned)  # noqa: S308  (bleach output with an explicit allow-list)


def _text_cleaner() -> bleach.Cleaner:
    """The cleaner that removes every tag, made once per thread as ``_cleaner`` makes one per
    profile: ``bleach.clean`` builds a new cleaner (its parser and serialiser) on every call,
    which was most of the cost of a line of plain text (a sign-off page makes one for each
    request's opening words). Same arguments as ``bleach.clean``'s, so the same text out."""
    return _made_once(
        "text",
        lambda: bleach.Cleaner(tags=set(), attributes={}, strip=True, strip_comments=True),
    )


# What the cleaner changes in plain text: a tag can only start with "<", a character reference
# only with "&", and the HTML parser replaces the C0 control characters other than tab and line
# feed (carriage return included). Text with none of these comes out of the cleaner exactly as
# it went in (it escapes ">" and quotes, which ``html.unescape`` undoes), so it is not parsed:
# most titles and summaries are plain prose. A property test holds the two paths equal.
_NEEDS_CLEANING = re.compile(r"[<&\x00-\x08\x0b-\x1f]")


def sanitise_text(value: str | None) -> str:
    """Plain text as the person wrote it, with every tag removed. The result is stored and shown
    as text: templates escape it once on output, so "Mother & baby" is stored as typed (keeping
    bleach's ``&amp;`` would show "Mother &amp; baby" on every page)."""
    if not value:
        return ""
    value = str(value)
    if not _NEEDS_CLEANING.search(value):
        return value
    return html.unescape(_text_cleaner().clean(value))


def safe_url(value: str | None) -> str:
    """A URL fit for an ``href``; anything else becomes an empty string."""
    if value and is_safe_url(value):
        return value.strip()
    return ""
