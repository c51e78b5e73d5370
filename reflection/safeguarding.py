"""The safeguarding prompt, one mechanism for every form where people write about their
practice (a reflection, a supervision record). Before saving, the text is checked against the
editable patterns (``learning.guard.safeguarding_matches`` with the list kept in the journal's
``SafeguardingPhrase`` snippet). If it suggests a current concern and the writer has not yet
seen the prompt, the form comes back with it and the writer's organisations' safeguarding
routes, and nothing is saved; saving again, having seen it, saves. It is a reminder, not a
control."""

from __future__ import annotations

from learning.guard import safeguarding_matches
from learning.models import Organisation
from learning.permissions import Person, roles_for
from reflection.journal import selectors as journal_selectors


def safeguarding_routes(user: Person, text: str) -> list[Organisation] | None:
    """When ``text`` suggests a current concern: the writer's organisations (each with its
    route); otherwise ``None``."""
    if not safeguarding_matches(text, journal_selectors.safeguarding_phrase_list()):
        return None
    return roles_for(user).organisations


def prompt_first(user: Person, text: str, *, seen: bool) -> bool:
    """True when the form must come back with the prompt before anything is saved."""
    return not seen and safeguarding_routes(user, text) is not None
