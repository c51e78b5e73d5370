"""Browser tests wait for what they check. ``locator.is_visible()`` answers at once, so an
``assert`` on it straight after a click races the page that click loads: it passes on a quiet
machine and fails on a busy one. ``expect(locator).to_be_visible()`` (or ``to_be_hidden()``)
retries until the page settles or the timeout ends. This test reads every browser test and
fails on an ``assert`` built on ``is_visible()``; an ``if`` on it (an optional step) is left
alone. In the same way a window is resized only through ``conftest.resize``, which waits for
the page to lay itself out again before anything is checked."""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).parent


def _immediate_checks(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assert):
            continue
        for inner in ast.walk(node.test):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr in ("is_visible", "is_hidden")
            ):
                lines.append(node.lineno)
    return lines


def test_the_check_finds_an_assert_on_is_visible():
    source = "def t(page):\n    assert not page.get_by_text('x').first.is_visible() and 1\n"
    assert _immediate_checks(source) == [2]
    assert _immediate_checks("def t(page):\n    if page.is_visible():\n        pass\n") == []


def test_no_browser_test_asserts_an_immediate_visibility():
    found = {
        f"{path.name}:{line}"
        for path in sorted(HERE.glob("*.py"))
        for line in _immediate_checks(path.read_text(encoding="utf-8"))
    }
    assert not found, f"use expect(locator).to_be_visible() or to_be_hidden(): {sorted(found)}"


def test_windows_are_resized_through_the_helper_that_waits():
    found = [
        path.name
        for path in sorted(HERE.glob("*.py"))
        if path.name not in ("conftest.py", Path(__file__).name)
        and "set_viewport_size" in path.read_text(encoding="utf-8")
    ]
    assert not found, f"use conftest.resize(page, width, height): {found}"
