"""Small helpers the supervision views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from learning.identifiers import KIND_LABELS
from learning.permissions import roles_for


def highlighted(text: str, matches) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, label of what it may be) for the template to mark."""
    pieces, at = [], 0
    for m in matches:
        if m.start > at:
            pieces.append((text[at : m.start], None))
        pieces.append((text[m.start : m.end], _(KIND_LABELS[m.kind])))
        at = m.end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def identifier_context(form, found: dict, texts: dict[str, str]) -> list[dict]:
    """The highlight-and-confirm panel: each field with its likely identifiers marked."""
    return [
        {
            "label": form[name].label if name in form.fields else _("Text"),
            "id": form[name].auto_id if name in form.fields else name,
            "pieces": highlighted(texts.get(name, ""), matches),
        }
        for name, matches in found.items()
    ]


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def support_organisations(user) -> list:
    """The person's organisations, for their safeguarding and support text."""
    return roles_for(user).organisations
