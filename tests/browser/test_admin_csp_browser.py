"""The Wagtail admin works under its Content Security Policy (scripts from this site only, no
inline script at all): the page editor loads, its date picker starts from its data attribute and
opens, and the browser refuses nothing (the ``page`` fixture fails on any policy refusal)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, UserFactory, make_home_page

from .conftest import visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_wagtail_admin_runs_under_its_policy(page, live_server):
    home = make_home_page()
    admin = UserFactory(is_superuser=True, is_staff=True)
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    # Wagtail's own pages are not ours to make axe-clean, so plain goto here.
    response = page.goto(f"{live_server.url}/admin/pages/{home.pk}/edit/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "'sha256-" not in policy
    page.locator("#id_go_live_at").wait_for(state="attached")
    assert page.evaluate("typeof window.initDateTimeChooser") == "function"
    # The picker was started by admin-choosers.js: its marker says so.
    page.wait_for_function(
        "document.querySelector('[data-hope-for=\"id_go_live_at\"]')?.dataset.hopeStarted === '1'"
    )
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("heading").first.wait_for()
