"""Plain-text handling and the identifier guard for supervision writing."""

from __future__ import annotations

from html import unescape

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learning.identifiers import Match, find_identifiers
from learning.sanitise import sanitise_text


class IdentifiersFound(ValidationError):
    """Likely identifiers the writer has not confirmed. ``found`` maps a field name to its
    matches; only the decision (confirmed, and the kinds) is ever recorded, never the text."""

    def __init__(self, found: dict[str, list[Match]]):
        self.found = found
        super().__init__(
            _(
                "Some details may identify a woman, a baby or a family. Edit the highlighted "
                "details, or confirm that they are not identifying."
            )
        )


def clean_text(value: str | None, *, limit: int, field: str, label: str) -> str:
    """Plain text with every tag removed (the template escapes it on output)."""
    text = unescape(sanitise_text(value or "")).strip()
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("The %(label)s must be %(n)s characters or fewer.")
                % {"label": label, "n": limit}
            }
        )
    return text


def guard(texts: dict[str, str], *, confirmed: bool) -> list[str]:
    """Raise ``IdentifiersFound`` unless confirmed; return the kinds confirmed (for the audit)."""
    found = {name: find_identifiers(text) for name, text in texts.items()}
    found = {name: matches for name, matches in found.items() if matches}
    if found and not confirmed:
        raise IdentifiersFound(found)
    return sorted({m.kind for matches in found.values() for m in matches})
