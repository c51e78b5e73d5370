"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser)
against the live server, with axe-core run on every page a test visits."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import IN_CI, chromium_path, service_problem

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    problem = service_problem("browser")
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true and the browser tests cannot run: {problem}.")
        pytest.skip(f"browser group skipped: {problem}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


def _on_this_site(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in ("localhost", "127.0.0.1", "testserver")


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    # Anything the Content Security Policy refuses is a bug: a page that needs it, or an attack.
    page.on(
        "console",
        lambda msg: (
            errors.append(f"CSP: {msg.text}") if "Content Security Policy" in msg.text else None
        ),
    )
    # Every request stays on this site: the platform uses no third-party host (fonts, scripts,
    # analytics), so nothing about a reader leaves for someone else's server.
    # A test of an embedded player names its provider's hosts with @pytest.mark.stub_hosts:
    # every request to them is answered here by a stand-in page, so still nothing leaves.
    stubbed = {host for marker in request.node.iter_markers("stub_hosts") for host in marker.args}
    if stubbed:
        context.route(
            lambda url: urlsplit(url).hostname in stubbed,
            lambda route: route.fulfill(
                status=200,
                content_type="text/html",
                body="<!doctype html><html lang='en'><title>Player</title><p>Stand-in player</p>",
            ),
        )
    page.on(
        "request",
        lambda req: (
            None
            if _on_this_site(req.url) or urlsplit(req.url).hostname in stubbed
            else errors.append(f"off-site request: {req.url}")
        ),
    )
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors or dialogs on the page: {errors}"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def assert_accessible(page) -> None:
    """Run axe-core on the current page: every WCAG 2.0, 2.1 and 2.2 A and AA rule axe has
    (those it leaves off by default too, such as ``target-size``) and its best practice; no
    violations allowed. ``evaluate`` is not subject to the page's CSP."""
    if not AXE_PATH.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make install does).")
    violations = _run_axe(page)
    assert violations == [], f"axe-core violations on {page.url}:\n" + json.dumps(
        violations, indent=2
    )


# Messages Playwright gives when a click's navigation replaces the document while axe runs.
_NAVIGATED = ("Execution context was destroyed", "reading 'documentElement'", "axe is not defined")


# Documents axe has already passed in this process, by _document_key. Most tests begin on the
# same sign-in page, and a document identical in every element, attribute, focus and window size
# gets the same answer from axe, so it is checked once (about a quarter of the checks).
_PASSED: set[str] = set()

# What differs between two requests for the same page without changing it for axe: the CSRF
# token and the script nonce.
_PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value="|nonce=")[^"]*"')


def _document_key(page) -> str:
    state = page.evaluate(
        """() => [
            window.innerWidth, window.innerHeight,
            document.activeElement ? document.activeElement.outerHTML.slice(0, 300) : '',
            document.documentElement.outerHTML,
        ]"""
    )
    state[-1] = _PER_REQUEST.sub(r'\1"', state[-1])
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def _run_axe(page, attempts: int = 3):
    """Run axe once the page has loaded. A test may call this straight after a click that
    navigates: if the new document replaces the old one mid-run, wait for it to load and run
    axe again on the new one (the old one is gone), instead of failing on a half-built page."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            key = _document_key(page)
            if key in _PASSED:
                return []
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;0")
            violations = page.evaluate(
                """async () => {
                    // Every WCAG 2.0-2.2 A and AA rule axe has, including those it leaves
                    // off by default (target-size), on top of its default best practice.
                    const wcag = [
                        'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa',
                    ];
                    const rules = {'target-size': {enabled: true}};
                    for (const rule of axe.getRules(wcag)) {
                        if (!rule.tags.includes('deprecated')) rules[rule.ruleId] = {enabled: true};
                    }
                    const result = await axe.run(document, {resultTypes: ['violations'], rules});
                    return result.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                    }));
                }"""
            )
            # Remembered only if the document did not change while axe ran.
            if not violations and _document_key(page) == key:
                _PASSED.add(key)
            return violations
        except PlaywrightError as exc:
            if attempt == attempts - 1 or not any(m in str(exc) for m in _NAVIGATED):
                raise
    raise AssertionError("unreachable")


def visit(page, url: str):
    response = page.goto(url)
    assert_accessible(page)
    return response


def resize(page, width: int, height: int) -> None:
    """Change the window's size and wait for the page to lay itself out again: the header
    folds links under "More" from a resize observer, whose work lands in the next frames. Run
    axe before then and it measures links half-way out of the header."""
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
