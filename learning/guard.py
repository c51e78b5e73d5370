"""The identifier guard, the one copy every app uses.

Before free text is saved, ``guard`` looks for likely identifiers (``learning.identifiers``
finds them). If there are any and the writer has not confirmed them, it raises
``IdentifiersFound`` so the form can show them highlighted and ask. If the writer has confirmed,
it returns a ``Checked`` whose ``audit`` is the one audit field every service writes: the sorted
kinds confirmed, never the matched text.

It is a nudge for the writer's judgement, not a control: it errs towards flagging, and a writer
who confirms can save anything.

The same module holds the safeguarding check the journal runs before saving:
``safeguarding_matches(text, patterns)`` with the editable ``ConcernPattern`` list (see
``learning.safeguarding_patterns`` for how a pattern is written).

Also here: the text <-> HTML conversions for what people write (built on ``learning.sanitise``)
and the builders for the highlight-and-confirm panel
(``templates/includes/identifier_guard.html``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from learning.identifiers import KIND_LABELS, Match, find_identifiers, safeguarding_matches
from learning.safeguarding_patterns import ConcernPattern
from learning.sanitise import sanitise_html

if TYPE_CHECKING:
    from learning.models import Organisation
    from learning.permissions import Person

# Apps reach learning.identifiers only through this module (an import-linter contract).
__all__ = [
    "AUDIT_FIELD",
    "Checked",
    "ConcernPattern",
    "IdentifiersFound",
    "guard",
    "highlight_pieces",
    "html_to_text",
    "panel_items",
    "safeguarding_matches",
    "safeguarding_patterns_register",
    "safeguarding_prompt_first",
    "safeguarding_routes",
    "text_to_html",
]

# The one key every service writes in its audit row's data when the guard ran.
AUDIT_FIELD = "identifier_kinds"

# Text is treated as HTML only when it uses a tag that written text allows.
_HTML_TAG = re.compile(r"</?(?:p|br|strong|em|b|i|u|ul|ol|li|blockquote|a)\b", re.IGNORECASE)


class IdentifiersFound(ValidationError):
    """Likely identifiers the writer has not confirmed. ``found`` maps a field name to its
    matches and ``texts`` holds the text each field's matches point into, so the panel can
    highlight them. Neither is ever stored or logged."""

    def __init__(self, found: dict[str, list[Match]], texts: Mapping[str, str]):
        self.found = found
        self.texts = {name: texts[name] for name in found}
        super().__init__(
            _(
                "Some details may identify a woman, a baby or a family. Edit the highlighted "
                "details, or confirm that they are not identifying."
            )
        )


@dataclass(frozen=True)
class Checked:
    """What the guard let through: the kinds of identifier the writer confirmed (sorted,
    empty when nothing was found)."""

    kinds: tuple[str, ...] = ()

    @property
    def confirmed(self) -> bool:
        """True when something was found and the writer confirmed it."""
        return bool(self.kinds)

    @property
    def audit(self) -> dict[str, list[str]]:
        """The audit row's guard field, the same in every service."""
        return {AUDIT_FIELD: list(self.kinds)}


def guard(texts: Mapping[str, str], *, confirmed: bool) -> Checked:
    """Check each named text. Raise ``IdentifiersFound`` if any has likely identifiers and
    ``confirmed`` is false; otherwise return the kinds found (what the writer confirmed)."""
    found = {name: matches for name, text in texts.items() if (matches := find_identifiers(text))}
    if found and not confirmed:
        raise IdentifiersFound(found, texts)
    return Checked(tuple(sorted({m.kind for matches in found.values() for m in matches})))


# --- text and HTML --------------------------------------------------------------------------


def text_to_html(text: str | None, *, profile: str = "reflection") -> str:
    """What the person wrote, as sanitised HTML: plain text becomes paragraphs (a blank line
    between them), text that already uses allowed tags is only cleaned."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _HTML_TAG.search(text):
        text = linebreaks(text, autoescape=True)
    return str(sanitise_html(text, profile=profile))


def html_to_text(html: str | None) -> str:
    """Stored HTML back as editable text: paragraphs as blank lines, breaks as new lines."""
    html = re.sub(r"</p>\s*<p>", "\n\n", html or "")
    html = re.sub(r"<br\s*/?>", "\n", html)
    return unescape(re.sub(r"^<p>|</p>$", "", html.strip()))


# --- the highlight-and-confirm panel ---------------------------------------------------------


def highlight_pieces(text: str, matches: list[Match]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, what it may be) pairs; the label is None for plain pieces."""
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for m in matches:
        if m.start > at:
            pieces.append((text[at : m.start], None))
        pieces.append((text[m.start : m.end], _(KIND_LABELS[m.kind])))
        at = m.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def panel_items(
    exc: IdentifiersFound, form: BaseForm | None = None, *, labels: Mapping[str, str] | None = None
) -> list[dict]:
    """One item per field with likely identifiers, for the panel: its label, the id to link to
    (the form field's, or the name itself for text that is not in the form) and its pieces."""
    labels = labels or {}
    items = []
    for name, matches in exc.found.items():
        in_form = form is not None and name in form.fields
        items.append(
            {
                "label": labels.get(name) or (form[name].label if in_form else _("Text")),
                "id": form[name].auto_id if in_form else name,
                "pieces": highlight_pieces(exc.texts.get(name, ""), matches),
            }
        )
    return items


# --- the safeguarding prompt --------------------------------------------------------------
#
# One mechanism for every form where people write about their practice (a reflection, a
# supervision record, a community post). Before saving, the text is checked against the
# editable patterns. If it suggests a current concern and the writer has not yet seen the
# prompt, the form comes back with it and the writer's organisations' safeguarding routes, and
# nothing is saved; saving again, having seen it, saves. It is a reminder, not a control. The
# app that keeps the patterns registers where to read them (``safeguarding_patterns_register``
# from its ``ready()``), so every app reads the same list without importing that app.

_PATTERN_SOURCES: list[Callable[[], Sequence[ConcernPattern]]] = []


def safeguarding_patterns_register(source: Callable[[], Sequence[ConcernPattern]]) -> None:
    """Register ``source()``, returning the current list of patterns (cached by its app)."""
    if source not in _PATTERN_SOURCES:
        _PATTERN_SOURCES.append(source)


def _patterns() -> list[ConcernPattern]:
    if not _PATTERN_SOURCES:
        raise RuntimeError("No app has registered the safeguarding patterns.")
    return [pattern for source in _PATTERN_SOURCES for pattern in source()]


def safeguarding_routes(user: Person, text: str) -> list[Organisation] | None:
    """When ``text`` suggests a current concern: the writer's organisations (each with its
    route); otherwise ``None``."""
    if not safeguarding_matches(text, _patterns()):
        return None
    from learning.permissions import roles_for

    return roles_for(user).organisations


def safeguarding_prompt_first(user: Person, text: str, *, seen: bool) -> bool:
    """True when the form must come back with the prompt before anything is saved."""
    return not seen and safeguarding_routes(user, text) is not None
