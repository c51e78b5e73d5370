"""Writes to a space's library by its facilitators (and the national coordinator): upload a
document, move it up or down, take it out. Each checks the rule, changes and audits in one
transaction. Uploaded files are checked for size and type here; titles and descriptions are
plain text (tags removed by the sanitiser) and pass the identifier guard."""

from __future__ import annotations

from pathlib import PurePath
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from wagtail.documents.models import Document
from wagtail.models import Collection

from community.models import Space, SpaceResource
from learning import permissions
from learning.guard import guard
from learning.models import User
from learning.sanitise import sanitise_text
from learning.services import audit_record

TITLE_MAX = 120
DESCRIPTION_MAX = 300
_ZIP = (b"PK\x03\x04",)
# The file types a library takes, by extension, and the bytes each kind of file starts with (a
# renamed file of another kind is refused). Plain text and CSV start with anything but must not
# hold a NUL byte (``None``). Only types Wagtail's documents also allow are taken.
DOCUMENT_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".docx": _ZIP,
    ".odt": _ZIP,
    ".pptx": _ZIP,
    ".xlsx": _ZIP,
    ".txt": None,
    ".csv": None,
}


def _allowed_types() -> dict[str, tuple[bytes, ...] | None]:
    wagtail = {f".{ext.lower()}" for ext in getattr(settings, "WAGTAILDOCS_EXTENSIONS", [])}
    return {ext: starts for ext, starts in DOCUMENT_TYPES.items() if ext in wagtail}


def document_check(upload: UploadedFile) -> str:
    """The file's name to store, once its size and type are checked (``ValidationError`` on
    the ``file`` field otherwise)."""
    limit = settings.HOPE_MAX_DOCUMENT_MB
    if upload.size is None or upload.size > limit * 1024 * 1024:
        raise ValidationError(
            {"file": _("The file must be smaller than %(limit)s MB.") % {"limit": limit}}
        )
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    allowed = _allowed_types()
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    starts = allowed.get(suffix, ())
    if starts is None:
        ok = bool(head) and b"\x00" not in head
    else:
        ok = any(head.startswith(s) for s in starts)
    if suffix not in allowed or not ok:
        raise ValidationError(
            {
                "file": _(
                    "The file must be a PDF, Word, OpenDocument, PowerPoint, Excel, text or "
                    "CSV file."
                )
            }
        )
    return sanitise_text(name)[:TITLE_MAX] or f"document{suffix}"


def _text(value: str, *, field: str, limit: int, required: str | None) -> str:
    text = " ".join(sanitise_text(value or "").split())
    if not text and required:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("This must be %(n)s characters or fewer.") % {"n": limit}})
    return text


def _check(actor: User, space: Space) -> None:
    if not permissions.can_curate_resources(actor, space):
        raise PermissionDenied


def space_collection(space: Space) -> Collection:
    """The space's collection for uploaded documents, made under the root collection the first
    time (call inside the transaction that uses it)."""
    row = Space.objects.select_for_update().get(pk=space.pk)
    if row.resource_collection_id is not None:
        collection = Collection.objects.filter(pk=row.resource_collection_id).first()
        if collection is not None:
            return collection
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    collection = root.add_child(name=_space_collection_name(space))
    row.resource_collection = collection
    row.save(update_fields=["resource_collection"])
    space.resource_collection = collection
    return collection


def _space_collection_name(space: Space) -> str:
    return f"Community space: {space.name} ({space.slug})"[:255]


@transaction.atomic
def resource_upload(
    *,
    actor: User,
    space: Space,
    title: str,
    file: UploadedFile,
    description: str = "",
    confirm_identifiers: bool = False,
) -> SpaceResource:
    """Add a document to the end of the space's library. The audit row holds the ids and the
    kinds of identifier the uploader confirmed, never the title or description."""
    _check(actor, space)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for field, value, limit, required in (
        ("title", title, TITLE_MAX, _("Enter a title for the document")),
        ("description", description, DESCRIPTION_MAX, None),
    ):
        try:
            values[field] = _text(value, field=field, limit=limit, required=required)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        file_name = document_check(file)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    checked = guard(values, confirmed=confirm_identifiers)
    collection = space_collection(space)
    document = Document(title=values["title"], collection=collection, uploaded_by_user=actor)
    document.file.save(file_name, file, save=False)
    document._set_document_file_metadata()
    document.save()
    last = SpaceResource.objects.filter(space=space).aggregate(n=Max("sort_order"))["n"]
    resource = SpaceResource.objects.create(
        space=space,
        document=document,
        description=values["description"],
        sort_order=(last + 1) if last is not None else 0,
    )
    audit_record(
        action="community.resource_added",
        actor=actor,
        target=resource,
        data={"space": space.pk, "document": document.pk, **checked.audit},
    )
    return resource


def _library_locked(space: Space) -> list[SpaceResource]:
    """The space's resources, locked, numbered 0, 1, 2… in their current order."""
    rows = list(
        SpaceResource.objects.select_for_update().filter(space=space).order_by("sort_order", "pk")
    )
    for index, row in enumerate(rows):
        if row.sort_order != index:
            row.sort_order = index
            row.save(update_fields=["sort_order"])
    return rows


@transaction.atomic
def resource_move(
    *, actor: User, space: Space, resource_id: int, direction: Literal["up", "down"]
) -> None:
    """Swap the resource with the one above or below it. At the top (or the bottom) nothing
    changes."""
    _check(actor, space)
    rows = _library_locked(space)
    index = next((i for i, row in enumerate(rows) if row.pk == resource_id), None)
    if index is None:
        raise PermissionDenied
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        return
    rows[index].sort_order, rows[other].sort_order = other, index
    for row in (rows[index], rows[other]):
        row.save(update_fields=["sort_order"])
    audit_record(
        action="community.resource_moved",
        actor=actor,
        target=rows[index],
        data={"space": space.pk, "direction": direction, "position": other + 1},
    )


@transaction.atomic
def resource_remove(*, actor: User, space: Space, resource_id: int) -> None:
    """Take the resource out of the library. A document uploaded to this space's collection
    and in no other library is deleted too: once out of every library it would otherwise be
    served to anyone who has its address."""
    _check(actor, space)
    rows = _library_locked(space)
    row = next((r for r in rows if r.pk == resource_id), None)
    if row is None:
        raise PermissionDenied
    document = row.document
    document_id = document.pk
    collection_id = (
        Space.objects.filter(pk=space.pk).values_list("resource_collection_id", flat=True).first()
    )
    row.delete()
    deleted = False
    if (
        collection_id is not None
        and document.collection_id == collection_id
        and not SpaceResource.objects.filter(document=document).exists()
    ):
        document.delete()  # Wagtail deletes its file once the transaction commits
        deleted = True
    for index, other in enumerate(r for r in rows if r.pk != resource_id):
        if other.sort_order != index:
            other.sort_order = index
            other.save(update_fields=["sort_order"])
    audit_record(
        action="community.resource_removed",
        actor=actor,
        target=space,
        data={"space": space.pk, "document": document_id, "document_deleted": deleted},
    )
