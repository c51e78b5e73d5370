"""A space's resources in a real browser: a member opens the library from the space, it is
axe clean, and the document downloads; someone outside the space gets a 404 for both."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community.models import MembershipPolicy, SpaceResource

from ..community_factories import SpaceFactory, facilitated_space, member
from ..factories import UserFactory
from ..media_factories import make_document
from .conftest import assert_accessible, visit
from .test_community_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    """Wagtail serves a document from a path on disk, which the in-memory test storage lacks."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)


def test_a_member_downloads_a_resource_and_an_outsider_cannot(page, live_server):
    base = live_server.url
    space, _facilitator = facilitated_space(
        name="Separation support", membership_policy=MembershipPolicy.INVITATION
    )
    document = make_document("Separation plan template")
    SpaceResource.objects.create(space=space, document=document, sort_order=0)
    reader = member(space, UserFactory(display_name="Rhea Reader")).user
    outsider = member(SpaceFactory(), UserFactory(display_name="Owen Outsider")).user

    sign_in(page, base, reader)
    visit(page, f"{base}/community/{space.slug}/")
    page.get_by_role("link", name="Resources").click()
    page.wait_for_url(f"**/community/{space.slug}/resources/")
    assert_accessible(page)
    link = page.get_by_role("link", name="Separation plan template (download)")
    href = link.get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200 and response.body().startswith(b"%PDF")

    sign_in(page, base, outsider)
    assert page.request.get(f"{base}/community/{space.slug}/resources/").status == 404
    assert page.request.get(f"{base}{href}").status == 404


def test_a_facilitator_uploads_and_orders_and_members_alone_download(page, live_server, tmp_path):
    base = live_server.url
    space, facilitator = facilitated_space(
        name="Birth planning", membership_policy=MembershipPolicy.INVITATION
    )
    SpaceResource.objects.create(space=space, document=make_document("Local pathway"), sort_order=0)
    reader = member(space, UserFactory(display_name="Rhea Reader")).user
    outsider = member(SpaceFactory(), UserFactory(display_name="Owen Outsider")).user
    pdf = tmp_path / "birth-plan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")

    sign_in(page, base, facilitator)
    visit(page, f"{base}/community/{space.slug}/resources/")
    page.get_by_role("link", name="Manage resources").click()
    page.wait_for_url(f"**/community/{space.slug}/resources/manage/")
    assert_accessible(page)
    # Nothing chosen: told what to fix.
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Birth plan template")
    page.get_by_label("Description (optional)").fill("To fill in together before the birth.")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(f"**/community/{space.slug}/resources/manage/")
    expect(page.get_by_text("The document is in the library.")).to_be_visible()
    page.get_by_role("button", name="Move up Birth plan template").click()
    page.wait_for_url(f"**/community/{space.slug}/resources/manage/")
    titles = page.locator(".hope-resource-manage li a").all_inner_texts()
    assert titles == ["Birth plan template", "Local pathway"]
    assert_accessible(page)

    sign_in(page, base, reader)
    visit(page, f"{base}/community/{space.slug}/resources/")
    assert page.get_by_role("link", name="Manage resources").count() == 0
    expect(page.get_by_text("To fill in together before the birth.")).to_be_visible()
    link = page.get_by_role("link", name="Birth plan template (download)")
    href = link.get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert page.request.get(f"{base}/community/{space.slug}/resources/manage/").status == 404

    sign_in(page, base, outsider)
    assert page.request.get(f"{base}{href}").status == 404
