"""The Content Security Policy's sources, built from the configured storage and the video
providers lessons embed. The site's policy (django-csp, ``CONTENT_SECURITY_POLICY`` in the
settings) and the admins' policy (``learning.security``) both come from ``policy_directives``,
so an image served from the bucket or a video from a supported provider shows in both.

Plain functions of plain values: the settings modules call them before Django is set up.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# The hosts a lesson's video plays from. YouTube links are rewritten to the no-cookie host when
# they are embedded (``modules.pages.embeds``), so www.youtube.com is never framed.
YOUTUBE_EMBED_HOST = "www.youtube-nocookie.com"
EMBED_FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
# The providers' thumbnails, shown by the Wagtail admin's embed chooser.
EMBED_IMAGE_SOURCES = ("https://i.ytimg.com", "https://i.vimeocdn.com")

S3_BACKENDS = ("storages.backends.s3.S3Storage", "storages.backends.s3boto3.S3Boto3Storage")


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def media_sources(storages: dict, media_url: str) -> list[str]:
    """Where uploaded images are fetched from: this site (``'self'``) for a disk, the bucket's
    host (or its custom domain) for S3-compatible storage, and ``MEDIA_URL``'s host when it
    names another site."""
    sources: list[str] = []
    default = storages.get("default", {})
    if default.get("BACKEND") in S3_BACKENDS:
        options = default.get("OPTIONS", {})
        bucket = options.get("bucket_name") or ""
        domain = options.get("custom_domain") or ""
        endpoint = options.get("endpoint_url") or ""
        if domain:
            sources.append(f"https://{domain}")
        elif endpoint:
            origin = _origin(endpoint)
            if origin:
                # Path-style (bucket in the path) and virtual-hosted (bucket in the host name).
                sources.append(origin)
                parts = urlsplit(endpoint)
                if bucket and not _is_ip_address(parts.hostname or ""):
                    sources.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
        elif bucket:
            region = options.get("region_name") or ""
            sources.append(f"https://{bucket}.s3.amazonaws.com")
            if region:
                sources.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    origin = _origin(media_url)
    if origin:
        sources.append(origin)
    return list(dict.fromkeys(sources))


def policy_directives(*, storages: dict, media_url: str, admin: bool = False) -> dict:
    """The directives of the site's policy, or (``admin``) of the Wagtail and Django admins'.

    Both: scripts, styles, fonts and connections from this site only; images from this site,
    ``data:`` and the media storage; frames from this site and the video providers. The admin
    adds what Wagtail's own screens need: inline style attributes, ``blob:`` image previews
    while uploading, the providers' thumbnails in the embed chooser, and framing by itself for
    page previews.
    """
    media = media_sources(storages, media_url)
    images = ["'self'", "data:", *media]
    if admin:
        images = ["'self'", "data:", "blob:", *media, *EMBED_IMAGE_SOURCES]
    return {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's admin sets style attributes in its markup; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"] if admin else ["'self'"],
        "img-src": images,
        # The NHS.UK frontend is built without its web fonts (static/scss/nhsuk.scss): no
        # third-party font host.
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *EMBED_FRAME_SOURCES],
        # Wagtail previews pages in a same-origin frame; nothing frames the site.
        "frame-ancestors": ["'self'"] if admin else ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }


def policy_header(directives: dict) -> str:
    """A policy as a header value (for the admin, which django-csp does not serve)."""
    parts = []
    for name, value in directives.items():
        if value is True:
            parts.append(name)
        else:
            parts.append(f"{name} {' '.join(value)}")
    return "; ".join(parts)


def _is_ip_address(host: str) -> bool:
    """A bucket cannot be a subdomain of an address such as 127.0.0.1."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
