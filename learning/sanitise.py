"""The one sanitiser. Every piece of user-written HTML passes through here before it is stored
or shown; this is the only module in the project that imports bleach.

Allow-lists are explicit and small: what reflection and discussion need (paragraphs, emphasis,
lists, quotes, links), nothing that can run code or load anything.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

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


def _set_link_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not is_safe_url(href):
        attrs.pop(href_key, None)
        return attrs
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


@lru_cache(maxsize=8)
def _cleaner(profile: str) -> bleach.Cleaner:
    tags = PROFILES[profile]
    return bleach.Cleaner(
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES if "a" in tags else {},
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


@lru_cache(maxsize=1)
def _linker() -> Linker:
    return Linker(callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False)


def is_safe_url(url: str) -> bool:
    """True for absolute http(s) and mailto links and for site-relative paths."""
    if not url:
        return False
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f").strip()
    if cleaned.startswith("//"):
        return False
    parts = urlsplit(cleaned)
    if parts.scheme:
        return parts.scheme.lower() in ALLOWED_PROTOCOLS and cleaned == url.strip()
    return cleaned.startswith("/") or not any(c in cleaned for c in ":\\")


def sanitise_html(value: str | None, *, profile: str = "rich") -> SafeString:
    """Clean user-written HTML with the profile's allow-list, add safe ``rel`` to links and
    drop any link whose target is not a safe URL. The result is marked safe for templates."""
    if not value:
        return mark_safe("")  # noqa: S308
    cleaned = _cleaner(profile).clean(str(value))
    if "a" in PROFILES[profile]:
        cleaned = _linker().linkify(cleaned)
    return mark_safe(cleaned)  # noqa: S308  (bleach output with an explicit allow-list)


def sanitise_text(value: str | None) -> str:
    """Plain text: every tag removed, entities left escaped for the template to handle."""
    if not value:
        return ""
    return bleach.clean(str(value), tags=set(), attributes={}, strip=True, strip_comments=True)


def safe_url(value: str | None) -> str:
    """A URL fit for an ``href``; anything else becomes an empty string."""
    if value and is_safe_url(value):
        return value.strip()
    return ""
