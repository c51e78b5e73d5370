"""Uploads in the Wagtail admin: no SVG images (they can carry script), and size limits for
images and documents, each refused with a sentence saying what to do."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def test_an_svg_image_is_refused(client, people):
    client.force_login(people["superuser"])
    response = client.post(
        "/admin/images/add/",
        {"title": "Box", "file": SimpleUploadedFile("box.svg", SVG, "image/svg+xml")},
    )
    assert response.status_code == 200
    assert "Not a supported image format" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_png_image_is_accepted_and_a_too_big_one_refused(client, people, settings):
    client.force_login(people["superuser"])
    ok = client.post(
        "/admin/images/add/",
        {"title": "Box", "file": SimpleUploadedFile("box.png", _png(), "image/png")},
    )
    assert ok.status_code == 302
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10
    big = client.post(
        "/admin/images/add/",
        {"title": "Big", "file": SimpleUploadedFile("big.png", _png(), "image/png")},
    )
    assert big.status_code == 200
    assert get_image_model().objects.count() == 1


def test_a_document_over_the_limit_is_refused(client, people, settings):
    settings.HOPE_MAX_DOCUMENT_MB = 1
    client.force_login(people["superuser"])
    too_big = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client.post("/admin/documents/add/", {"title": "Plan", "file": too_big})
    assert response.status_code == 200
    assert "The file is too big. Choose a file smaller than 1 MB." in response.content.decode()
    assert not get_document_model().objects.exists()
    small = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n")
    assert client.post("/admin/documents/add/", {"title": "Plan", "file": small}).status_code == 302
    assert get_document_model().objects.count() == 1
