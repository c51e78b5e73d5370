"""Lesson media: every block type renders, images are served and read with their renditions in
bulk, videos play from the no-cookie YouTube host or Vimeo, and the Content Security Policy
(site and admin) allows exactly the media storage and those providers."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from learning.content_policy import media_sources, policy_directives
from learning.security import admin_policy
from modules.pages.embeds import NoCookieOEmbedFinder, youtube_nocookie

from .factories import UserFactory
from .media_factories import (
    VIMEO_URL,
    YOUTUBE_URL,
    make_embed,
    make_image,
    make_media_lesson,
    png_bytes,
)
from .module_factories import make_module

S3 = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "hope-media", "region_name": "eu-west-2"},
    }
}


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def media_lesson(db):
    make_embed(YOUTUBE_URL)
    make_embed(VIMEO_URL)
    module = make_module(lessons=1)
    return make_media_lesson(module)


@pytest.mark.django_db
def test_a_lesson_renders_every_block_type_with_its_images_and_videos(client, media_lesson):
    response = client.get(media_lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    # Both images, at the lesson size, from the media URL, with their alternative text.
    images = re.findall(r'<img[^>]*src="(/media/images/[^"]+)"[^>]*alt="A hope box', html)
    images += re.findall(r'<img[^>]*alt="A hope box[^"]*"[^>]*src="(/media/images/[^"]+)"', html)
    assert len(set(images)) == 2, html
    assert "A hope box made by a midwife and a mother." in html
    # YouTube plays from its no-cookie host, Vimeo from its player; never www.youtube.com.
    assert 'src="https://www.youtube-nocookie.com/embed/hopeVideo01?feature=oembed"' in html
    assert 'src="https://player.vimeo.com/video/76979871' in html
    assert "www.youtube.com" not in html
    assert html.count("Read the transcript") == 2
    # Every other block type.
    for text in (
        "Teaching text with <strong>bold</strong> words.",
        "It helped to hold something.",
        "A visit on the ward",
        "Which is right?",
        "What did you notice?",
        "Breathe slowly.",
        "A paper on separation at birth.",
        "A guide to hope boxes",
    ):
        assert text in html, text
    # The policy on the page allows what it shows.
    policy = _policy(response)
    assert policy["img-src"] == ["'self'", "data:"]
    assert "https://www.youtube-nocookie.com" in policy["frame-src"]
    assert "https://player.vimeo.com" in policy["frame-src"]
    assert "https://www.youtube.com" not in policy["frame-src"]


@pytest.mark.django_db
def test_a_lesson_costs_the_same_queries_however_many_images_and_videos(client):
    make_embed(YOUTUBE_URL)
    make_embed(VIMEO_URL)
    module = make_module(lessons=0)
    few = make_media_lesson(module, images=1, videos=(YOUTUBE_URL,))
    many = make_media_lesson(module, images=5, videos=(YOUTUBE_URL, VIMEO_URL, YOUTUBE_URL))
    # The first view of each makes its renditions; counts are compared once they exist.
    client.get(few.url)
    client.get(many.url)
    counts = []
    for lesson in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(lesson.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_a_video_without_a_stored_answer_is_found_once_through_the_no_cookie_finder(client):
    module = make_module(lessons=0)
    lesson = make_media_lesson(module, images=0, videos=(YOUTUBE_URL,))
    answer = {
        "type": "video",
        "html": '<iframe src="https://www.youtube.com/embed/hopeVideo01?feature=oembed"></iframe>',
        "title": "A film",
        "width": 560,
        "height": 315,
    }
    with mock.patch(
        "wagtail.embeds.finders.oembed.OEmbedFinder.find_embed", return_value=answer
    ) as provider:
        html = client.get(lesson.url).content.decode()
        client.get(lesson.url)
    assert provider.call_count == 1
    assert "https://www.youtube-nocookie.com/embed/hopeVideo01" in html
    assert "www.youtube.com" not in html


def test_youtube_players_move_to_the_no_cookie_host_and_others_are_left_alone():
    assert youtube_nocookie('<iframe src="https://www.youtube.com/embed/abc?x=1">') == (
        '<iframe src="https://www.youtube-nocookie.com/embed/abc?x=1">'
    )
    assert youtube_nocookie("http://youtube.com/embed/abc") == (
        "https://www.youtube-nocookie.com/embed/abc"
    )
    vimeo = '<iframe src="https://player.vimeo.com/video/1"></iframe>'
    assert youtube_nocookie(vimeo) == vimeo


def test_the_finder_accepts_youtube_and_vimeo_only():
    finder = NoCookieOEmbedFinder()
    assert finder.accept(YOUTUBE_URL)
    assert finder.accept(VIMEO_URL)
    assert not finder.accept("https://www.dailymotion.com/video/x7tgad0")


@pytest.mark.django_db
def test_uploaded_images_are_served_and_nothing_else_in_the_storage(client):
    image = make_image()
    rendition = image.get_rendition("max-800x600")
    for url in (image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content)[:8] == png_bytes()[:8]
        assert "sandbox" in response["Content-Security-Policy"]
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("certificates/someone.pdf", ContentFile(b"%PDF"))
    assert client.get("/media/certificates/someone.pdf").status_code == 404
    assert client.get("/media/images/missing.png").status_code == 404
    assert client.get("/media/images/..%2Fcertificates%2Fsomeone.pdf").status_code == 404


def test_the_policy_allows_images_from_the_bucket_that_is_configured():
    assert media_sources(S3, "/media/") == [
        "https://hope-media.s3.amazonaws.com",
        "https://hope-media.s3.eu-west-2.amazonaws.com",
    ]
    local = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "hope", "endpoint_url": "http://127.0.0.1:9000/"},
        }
    }
    assert media_sources(local, "/media/") == ["http://127.0.0.1:9000"]
    cdn = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "hope", "custom_domain": "media.hope.example.nhs.uk"},
        }
    }
    assert media_sources(cdn, "/media/") == ["https://media.hope.example.nhs.uk"]
    disk = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert media_sources(disk, "/media/") == []
    assert media_sources(disk, "https://static.hope.example/media/") == [
        "https://static.hope.example"
    ]


def test_site_and_admin_policies_come_from_one_function():
    site = policy_directives(storages=S3, media_url="/media/")
    admin = policy_directives(storages=S3, media_url="/media/", admin=True)
    for directives in (site, admin):
        assert "https://hope-media.s3.amazonaws.com" in directives["img-src"]
        assert directives["script-src"] == ["'self'"]
        assert directives["frame-src"] == [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ]
    assert site["frame-ancestors"] == ["'none'"]
    assert admin["frame-ancestors"] == ["'self'"]
    assert "https://i.ytimg.com" in admin["img-src"]


@pytest.mark.django_db
def test_the_admin_policy_follows_the_configured_storage(client):
    with override_settings(STORAGES={**S3, "staticfiles": {"BACKEND": "x"}}):
        assert "https://hope-media.s3.amazonaws.com" in admin_policy()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/images/")
    assert response.status_code == 200
    policy = _policy(response)
    assert "https://www.youtube-nocookie.com" in policy["frame-src"]
    assert "blob:" in policy["img-src"]
