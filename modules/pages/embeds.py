"""Lesson videos: which providers a video may come from, the YouTube player on its no-cookie
host, and the media a lesson shows read in bulk (images with their renditions, videos with
their stored oEmbed answers), so a lesson with many images or videos costs a fixed number of
queries.

Only YouTube and Vimeo are accepted (``WAGTAILEMBEDS_FINDERS`` in the settings), matching the
Content Security Policy's ``frame-src`` (learning/content_policy.py). YouTube's oEmbed answer
frames www.youtube.com, which sets cookies and which the policy refuses: the player is moved to
www.youtube-nocookie.com when the embed is found, and again when it is shown, for answers
stored before this rewrite existed.
"""

from __future__ import annotations

import re

from django.db.models import prefetch_related_objects
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import now
from wagtail.embeds import embeds as wagtail_embeds
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.finders.oembed import OEmbedFinder
from wagtail.embeds.models import Embed
from wagtail.embeds.oembed_providers import vimeo, youtube
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from learning.content_policy import YOUTUBE_EMBED_HOST

# The size every lesson image is shown at (templates/modules/blocks/image.html).
LESSON_IMAGE_FILTER = "max-800x600"
VIDEO_PROVIDERS = [youtube, vimeo]

_YOUTUBE_PLAYER = re.compile(r"https?://(?:www\.|m\.)?youtube\.com/embed/", re.IGNORECASE)


def youtube_nocookie(html: str) -> str:
    """``html`` with every YouTube player address on the no-cookie host."""
    return _YOUTUBE_PLAYER.sub(f"https://{YOUTUBE_EMBED_HOST}/embed/", html)


class NoCookieOEmbedFinder(OEmbedFinder):
    """Wagtail's oEmbed finder for YouTube and Vimeo only, with YouTube's player moved to its
    no-cookie host before the answer is stored."""

    def __init__(self, providers=None, options=None):
        super().__init__(providers=providers or VIDEO_PROVIDERS, options=options)

    def find_embed(self, url, max_width=None, max_height=None):
        result = super().find_embed(url, max_width=max_width, max_height=max_height)
        result["html"] = youtube_nocookie(result.get("html") or "")
        return result


def video_player_html(value) -> SafeString:
    """The player for an EmbedBlock's value: the stored oEmbed answer read in bulk by
    ``lesson_media_prefetch`` when there is one, else looked up (and fetched once) by Wagtail.
    Empty when the provider does not answer: the transcript is still shown."""
    if value is None:
        return mark_safe("")
    embed = getattr(value, "hope_embed", None)
    if embed is None:
        try:
            embed = wagtail_embeds.get_embed(value.url, value.max_width, value.max_height)
        except EmbedException:
            return mark_safe("")
    # The provider's player markup, as Wagtail itself shows it; only its host is changed.
    return mark_safe(youtube_nocookie(embed.html))  # noqa: S308


def _renditions_prefetch(images: list) -> None:
    """Each image's renditions in one query; the lesson-size renditions not made yet are made
    and stored together (one insert)."""
    rendition_model = get_image_model().get_rendition_model()

    prefetch_related_objects(images, "renditions")
    new = {}
    for image in images:
        spec = image.clean_filter_for_svg(Filter(spec=LESSON_IMAGE_FILTER))
        key = (image.pk, spec.spec, spec.get_cache_key(image))
        if key in new or image.find_existing_renditions(spec):
            continue
        new[key] = (
            image,
            rendition_model(
                image=image,
                filter_spec=spec.spec,
                focal_point_key=spec.get_cache_key(image),
                file=image.generate_rendition_file(spec),
            ),
        )
    if new:
        # Another request may have made the same rendition meanwhile: the first one stays (the
        # file made here is still there, so this page's address for it works too).
        rendition_model.objects.bulk_create([r for _i, r in new.values()], ignore_conflicts=True)
        made = {key[0]: rendition for key, (_image, rendition) in new.items()}
        for image in images:
            if image.pk in made:
                # Wagtail's own way to keep a rendition it has just made on the image.
                image._add_to_prefetched_renditions(made[image.pk])


def lesson_media_prefetch(blocks) -> None:
    """Read the images and videos of a lesson's blocks in bulk: one query for the images'
    renditions (two more the first time, to make the missing ones), one for the stored oEmbed
    answers."""
    images = []
    videos = []
    for block in blocks:
        if block.block_type == "image" and block.value["image"] is not None:
            images.append(block.value["image"])
        elif block.block_type == "video" and block.value["video"] is not None:
            videos.append(block.value["video"])
    if images:
        _renditions_prefetch(images)
    if videos:
        by_hash: dict[str, list] = {}
        for video in videos:
            key = wagtail_embeds.get_embed_hash(video.url, video.max_width, video.max_height)
            by_hash.setdefault(key, []).append(video)
        stored = Embed.objects.filter(hash__in=list(by_hash)).exclude(cache_until__lte=now())
        for embed in stored:
            for video in by_hash.pop(embed.hash):
                video.hope_embed = embed
        if by_hash:
            _embeds_fetch(by_hash)


def _embeds_fetch(by_hash: dict[str, list]) -> None:
    """Ask the provider for each video not stored yet, and store the answers together."""
    found = []
    for key, videos in by_hash.items():
        video = videos[0]
        try:
            answer = wagtail_embeds.get_finder_for_embed(
                video.url, video.max_width, video.max_height
            )
        except EmbedException:
            continue
        embed = Embed(
            hash=key,
            url=video.url,
            max_width=video.max_width,
            type=answer.get("type") or "video",
            html=youtube_nocookie(answer.get("html") or ""),
            title=answer.get("title") or "",
            author_name=answer.get("author_name") or "",
            provider_name=answer.get("provider_name") or "",
            thumbnail_url=answer.get("thumbnail_url") or "",
            width=_int_or_none(answer.get("width")),
            height=_int_or_none(answer.get("height")),
            cache_until=answer.get("cache_until"),
        )
        found.append(embed)
        for each in videos:
            each.hope_embed = embed
    # Another request may have stored the same answer meanwhile: the first one stays.
    Embed.objects.bulk_create(found, ignore_conflicts=True)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
