"""The axe helper itself: a click's navigation that replaces the document while axe runs is
retried on the new page; any other error still fails the test; a document axe has passed is not
checked again unless something in it (beyond the CSRF token and nonce) has changed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from . import conftest
from .conftest import _run_axe

PAGE = (
    '<html><head><script nonce="{nonce}" src="/static/js/app.mjs"></script></head><body>'
    '<form><input type="hidden" name="csrfmiddlewaretoken" value="{token}">{text}</form>'
    "</body></html>"
)

SIGN_IN = PAGE.format(nonce="n1", token="t1", text="Sign in")


@pytest.fixture(autouse=True)
def _nothing_passed_yet(monkeypatch):
    monkeypatch.setattr(conftest, "_PASSED", set())


class FakePage:
    """Stands in for a Playwright page: ``evaluate`` raises the queued errors first, and
    answers axe with ``violations``."""

    def __init__(self, errors):
        self.errors = list(errors)
        self.loads = 0
        self.axe_runs = 0
        self.html = SIGN_IN
        self.violations: list[dict] = []

    def wait_for_load_state(self, state):
        assert state == "load"
        self.loads += 1

    def evaluate(self, script):
        if "typeof window.axe" in script:
            return True
        if "innerWidth" in script:
            return [1280, 900, "<body>", self.html]
        if self.errors:
            raise self.errors.pop(0)
        self.axe_runs += 1
        return self.violations


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


def test_a_passed_document_is_not_checked_again_for_a_new_token_or_nonce():
    page = FakePage([])
    assert _run_axe(page) == []
    page.html = PAGE.format(nonce="n2", token="t2", text="Sign in")
    assert _run_axe(page) == []
    assert page.axe_runs == 1


def test_a_changed_document_is_checked_again():
    page = FakePage([])
    _run_axe(page)
    page.html = PAGE.format(nonce="n1", token="t1", text="Sign in with your work account")
    _run_axe(page)
    assert page.axe_runs == 2


def test_a_document_with_violations_is_checked_every_time():
    page = FakePage([])
    page.violations = [{"id": "label", "impact": "critical", "help": "", "nodes": ["input"]}]
    assert _run_axe(page) == page.violations
    assert _run_axe(page) == page.violations
    assert page.axe_runs == 2
