"""Plain-text handling for supervision writing (the identifier guard is ``learning.guard``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learning.sanitise import sanitise_text


def clean_text(value: str | None, *, limit: int, field: str, label: str) -> str:
    """Plain text with every tag removed (the template escapes it on output)."""
    text = sanitise_text(value or "").strip()
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("The %(label)s must be %(n)s characters or fewer.")
                % {"label": label, "n": limit}
            }
        )
    return text
