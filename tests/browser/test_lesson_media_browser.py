"""A lesson with every block type in chromium: uploaded images display, the YouTube video plays
from its no-cookie host and the Vimeo one from Vimeo's player, and the Content Security Policy
refuses nothing. The providers are answered by a stand-in page (``stub_hosts``), so no request
leaves the machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..media_factories import VIMEO_URL, YOUTUBE_URL, make_embed, make_media_lesson
from ..module_factories import make_module
from .conftest import visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.stub_hosts("www.youtube-nocookie.com", "player.vimeo.com"),
]


def test_a_lesson_shows_its_images_and_videos_in_the_browser(page, live_server, home_page):
    make_embed(YOUTUBE_URL)
    make_embed(VIMEO_URL)
    lesson = make_media_lesson(make_module(lessons=1))

    visit(page, live_server.url + lesson.url)

    images = page.locator("img.nhsuk-image__img")
    assert images.count() == 2
    images.first.scroll_into_view_if_needed()
    widths = images.evaluate_all(
        "els => Promise.all(els.map(e => e.decode().then(() => e.naturalWidth)))"
    )
    assert all(width > 0 for width in widths), widths
    expect(page.get_by_text("A hope box made by a midwife and a mother.").first).to_be_visible()

    youtube = page.locator("iframe[src^='https://www.youtube-nocookie.com/embed/hopeVideo01']")
    vimeo = page.locator("iframe[src^='https://player.vimeo.com/video/76979871']")
    assert youtube.count() == 1
    assert vimeo.count() == 1
    assert page.locator("iframe[src*='www.youtube.com']").count() == 0
    for frame in (youtube, vimeo):
        frame.scroll_into_view_if_needed()
    page.frame_locator("iframe[src^='https://www.youtube-nocookie.com']").get_by_text(
        "Stand-in player"
    ).wait_for()
    page.frame_locator("iframe[src^='https://player.vimeo.com']").get_by_text(
        "Stand-in player"
    ).wait_for()

    page.get_by_text("Read the transcript").first.click()
    expect(page.get_by_text("The transcript of the film.").first).to_be_visible()
