"""Copy and layout found by walking every journey: each fixed here for its whole kind."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.template.loader import render_to_string


def test_check_feedback_never_runs_an_option_into_its_feedback():
    """An option ending "…" once read "Wait until the hearing…: No." — the option and what it
    means are on lines of their own."""
    check = SimpleNamespace(
        block_id="b1",
        answered=True,
        correct=False,
        explanation="",
        multiple=False,
        round=1,
        question="When?",
        options=[],
        feedback=[SimpleNamespace(text="Wait until the hearing…", feedback="No, it is too late.")],
    )
    html = render_to_string(
        "modules/blocks/knowledge_check.html",
        {"check": check, "user": SimpleNamespace(is_authenticated=True), "lesson": {"pk": 1}},
    )
    assert "Wait until the hearing…</strong><br>No, it is too late." in html
    assert not re.search(r"</strong>\s*:", html)
