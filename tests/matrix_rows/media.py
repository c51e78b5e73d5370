"""Matrix rows for uploaded images served by Django (learning/media.py): Wagtail's images are
public to everyone; nothing else in the storage is served by name."""

from __future__ import annotations

from . import Row, everyone


def extend_context(ctx: dict) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.media_factories import make_image

    ctx["image"] = make_image("Matrix picture")
    ctx["stored_certificate"] = default_storage.save(
        "certificates/matrix.pdf", ContentFile(b"%PDF-1.4")
    )


ROWS: list[Row] = [
    Row("media", lambda c: c["image"].file.url, everyone(200)),
    Row("media", lambda c: "/media/images/no-such-picture.png", everyone(404)),
    Row("media", lambda c: "/media/" + c["stored_certificate"], everyone(404)),
    Row("media", lambda c: c["image"].file.url, everyone(405), method="post"),
]
