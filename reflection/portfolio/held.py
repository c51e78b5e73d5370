"""An evidence file chosen before the identifier check or the safeguarding prompt stopped the
external CPD form, held so that the person does not have to choose it again.

Browsers never send a file twice, so the file is kept in storage under a random name, and the
page carries a signed reference to it (who it belongs to, where it is, the name the person gave
it) in a hidden field. The reference is only good for its owner, for ``HOLD_SECONDS``; the file
is deleted when the entry is saved with it, and files left behind by a form never sent again
are swept away the next time any file is held.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import PurePath

from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from learning.models import User
from reflection.portfolio.services import evidence_check

HELD_DIR = "cpd-evidence-held"
HOLD_SECONDS = 60 * 60
_SALT = "reflection.portfolio.evidence_held"


def _sweep() -> None:
    """Delete held files older than the reference lasts (a few files at most)."""
    cutoff = timezone.now() - timedelta(seconds=HOLD_SECONDS * 2)
    try:
        _dirs, files = default_storage.listdir(HELD_DIR)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{HELD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:
            continue


def evidence_hold(*, owner: User, upload: UploadedFile) -> tuple[str, str]:
    """Keep ``upload`` (once its size and type are checked) and return the signed reference
    and the file's name to show. ``ValidationError`` if the file would be refused anyway."""
    name = evidence_check(upload)
    _sweep()
    suffix = PurePath(name).suffix.lower()[:8]
    path = default_storage.save(f"{HELD_DIR}/{uuid.uuid4().hex}{suffix}", upload)
    return signing.dumps({"u": owner.pk, "p": path, "n": name}, salt=_SALT), name


def _unsigned(owner: User, token: str) -> dict | None:
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=HOLD_SECONDS)
    except signing.BadSignature:
        return None
    path = str(data.get("p", ""))
    if data.get("u") != owner.pk or not path.startswith(f"{HELD_DIR}/") or ".." in path:
        return None
    if not default_storage.exists(path):
        return None
    return data


def evidence_held_name(*, owner: User, token: str) -> str:
    """The name of the held file the reference points to, or "" if it is no longer good."""
    data = _unsigned(owner, token)
    return str(data["n"]) if data else ""


def evidence_held_open(*, owner: User, token: str) -> File | None:
    """The held file, opened, named as the person named it (``None`` if the reference is not
    theirs, has expired or the file is gone)."""
    data = _unsigned(owner, token)
    if data is None:
        return None
    return File(default_storage.open(data["p"], "rb"), name=str(data["n"]))


def evidence_held_release(*, owner: User, token: str) -> None:
    """Delete the held file once the entry holding its copy is saved."""
    data = _unsigned(owner, token)
    if data is not None:
        default_storage.delete(data["p"])
