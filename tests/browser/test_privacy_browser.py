"""A practitioner downloads a copy of their data (watching it being prepared), then deletes their
account after typing their password again. axe-core clean on every page."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import DataExport, Role
from learning.privacy.services import data_export_build

from ..factories import PASSWORD, MembershipFactory
from ..journal_factories import make_entry
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_download_my_data_then_delete_my_account(page, live_server):
    base = live_server.url
    person = MembershipFactory(role=Role.PRACTITIONER).user
    make_entry(person)

    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    assert_accessible(page)
    page.get_by_role("link", name="Your data").click()
    page.wait_for_url("**/account/data/")
    assert_accessible(page)

    # Asked for here; the (eager) task has built it by the time the page loads.
    page.get_by_role("button", name="Prepare my data").click()
    page.wait_for_url("**/reauthenticate/**")  # the password again, then the request goes on
    assert_accessible(page)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/data/download/*/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert "journal.pdf" in archive.namelist()
    assert "reflection.journalentry" in json.loads(archive.read("records.json"))["records"]

    # One still being prepared: progress is shown, and the script reloads once it is ready.
    pending = DataExport.objects.create(
        user=person, expires_at=timezone.now() + timedelta(hours=24)
    )
    visit(page, f"{base}/account/data/download/{pending.pk}/")
    expect(page.get_by_text("Preparing your file.")).to_be_visible()
    expect(page.get_by_label("Progress")).to_be_visible()
    data_export_build(export_id=pending.pk)
    page.get_by_role("link", name="Download my data").wait_for(timeout=10_000)
    assert_accessible(page)

    # Delete: type the password again, read what happens, confirm.
    visit(page, f"{base}/account/data/")
    page.get_by_role("link", name="Find out about deleting your account").click()
    page.wait_for_url("**/account/data/delete/")  # the password was typed a minute ago
    assert_accessible(page)
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Tick the box to confirm you understand").first.wait_for()
    assert_accessible(page)
    page.get_by_label("I understand that my account").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url("**/account/data/deleted/")
    assert_accessible(page)
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    visit(page, f"{base}/account/data/")
    assert "/accounts/login/" in page.url
