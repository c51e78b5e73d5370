"""The axe helper itself: a click's navigation that replaces the document while axe runs is
retried on the new page; any other error still fails the test."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from .conftest import _run_axe


class FakePage:
    """Stands in for a Playwright page: ``evaluate`` raises the queued errors first."""

    def __init__(self, errors):
        self.errors = list(errors)
        self.loads = 0
        self.axe_runs = 0

    def wait_for_load_state(self, state):
        assert state == "load"
        self.loads += 1

    def evaluate(self, script):
        if "typeof window.axe" in script:
            return True
        if self.errors:
            raise self.errors.pop(0)
        self.axe_runs += 1
        return []


def test_navigation_mid_run_is_retried_on_the_loaded_page():
    page = FakePage(
        [PlaywrightError("TypeError: Cannot read properties of null (reading 'documentElement')")]
    )
    assert _run_axe(page) == []
    assert page.loads == 2
    assert page.axe_runs == 1


def test_other_errors_are_not_swallowed():
    page = FakePage([PlaywrightError("SyntaxError: unexpected token")])
    with pytest.raises(PlaywrightError, match="unexpected token"):
        _run_axe(page)
    assert page.axe_runs == 0


def test_gives_up_after_three_navigations():
    error = PlaywrightError("Execution context was destroyed, most likely because of a navigation")
    page = FakePage([error, error, error])
    with pytest.raises(PlaywrightError, match="Execution context was destroyed"):
        _run_axe(page)
    assert page.loads == 3
