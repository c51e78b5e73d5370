"""Builders for lesson media: an uploaded image, a document, a stored oEmbed answer for a video
(so no test asks a provider over the network), and a lesson with every block type."""

from __future__ import annotations

import io
import itertools

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.models import Collection

from modules.models import LessonPage, ModulePage

from .module_factories import check_block

_counter = itertools.count(1)

YOUTUBE_URL = "https://www.youtube.com/watch?v=hopeVideo01"
VIMEO_URL = "https://vimeo.com/76979871"


def png_bytes(width: int = 640, height: int = 360, colour=(0, 94, 184)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def root_collection() -> Collection:
    """Wagtail's root collection: made by a migration, so gone after a browser test's flush of
    the database; every image and document belongs to a collection."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def make_image(title: str | None = None) -> Image:
    n = next(_counter)
    return Image.objects.create(
        collection=root_collection(),
        title=title or f"Picture {n}",
        file=ImageFile(io.BytesIO(png_bytes()), name=f"picture-{n}.png"),
    )


def make_document(title: str = "A guide to hope boxes") -> Document:
    n = next(_counter)
    return Document.objects.create(
        collection=root_collection(),
        title=title,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"guide-{n}.pdf"),
    )


def make_embed(url: str = YOUTUBE_URL, *, player: str | None = None) -> Embed:
    """What YouTube's (or Vimeo's) oEmbed endpoint answers, stored as Wagtail stores it. The
    player address is YouTube's own (www.youtube.com) as the provider sends it."""
    if player is None:
        video_id = url.rsplit("=", 1)[-1].rsplit("/", 1)[-1]
        player = (
            f"https://www.youtube.com/embed/{video_id}?feature=oembed"
            if "youtube" in url
            else f"https://player.vimeo.com/video/{video_id}?app_id=122963"
        )
    html = (
        f'<iframe width="560" height="315" src="{player}" frameborder="0" '
        'title="A short film about hope boxes" allowfullscreen></iframe>'
    )
    return Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html=html,
        title="A short film about hope boxes",
        provider_name="YouTube" if "youtube" in url else "Vimeo",
        width=560,
        height=315,
    )


def every_block_body(
    *, images: list[Image], videos: list[str], document: Document | None
) -> list[dict]:
    """A lesson body with every block type in modules/pages/blocks.py: each image and video
    given, and one of every other block."""
    body: list[dict] = [
        {"type": "rich_text", "value": "<p>Teaching text with <strong>bold</strong> words.</p>"},
    ]
    for i, image in enumerate(images):
        body.append(
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt_text": f"A hope box, picture {i + 1}",
                    "caption": "A hope box made by a midwife and a mother.",
                },
            }
        )
    for i, url in enumerate(videos):
        body.append(
            {
                "type": "video",
                "value": {
                    "title": f"Making a hope box, film {i + 1}",
                    "video": url,
                    "transcript": "<p>The transcript of the film.</p>",
                },
            }
        )
    body += [
        {
            "type": "quote",
            "value": {"text": "It helped to hold something.", "attribution": "A mother"},
        },
        {"type": "key_points", "value": {"heading": "Key points", "points": ["One", "Two"]}},
        {
            "type": "case_scenario",
            "value": {
                "title": "A visit on the ward",
                "scenario": "<p>A woman asks about her baby.</p>",
                "questions": ["What would you say?"],
            },
        },
        check_block("Which is right?"),
        {"type": "reflection_prompt", "value": {"prompt": "What did you notice?"}},
        {
            "type": "pause",
            "value": {"heading": "Take a pause", "text": "<p>Breathe slowly.</p>"},
        },
        {
            "type": "further_reading",
            "value": {
                "references": [
                    {"citation": "A paper on separation at birth.", "url": "https://example.org/"}
                ]
            },
        },
    ]
    if document is not None:
        body.append(
            {"type": "document", "value": {"document": document.pk, "description": "A guide."}}
        )
    return body


def make_media_lesson(
    module: ModulePage, *, images: int = 2, videos: tuple[str, ...] = (YOUTUBE_URL, VIMEO_URL)
) -> LessonPage:
    n = next(_counter)
    lesson = LessonPage(
        title=f"Lesson with pictures and films {n}",
        slug=f"media-lesson-{n}",
        summary="Every kind of block.",
        body=every_block_body(
            images=[make_image() for _ in range(images)],
            videos=list(videos),
            document=make_document(),
        ),
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)
