"""The privacy registry: how every record about a person is exported and erased.

Every model with a foreign key, one-to-one or many-to-many to the user model, ours and
third-party, is registered here with an export handler and an erase handler, or a documented
note saying what the database does and why (the Moodle privacy-API pattern).
``tests/test_privacy_registry.py`` walks every installed model and fails on any user relation
that is not covered, so a new model cannot forget the person's rights.

``learning`` imports no other local app: each app registers its own models in its
``<app>/privacy.py`` (autodiscovered by ``LearningConfig.ready()``); Django, allauth and Wagtail
models are registered in ``learning/privacy/third_party.py``.

A person's own rows (their journal, posts, progress, check-ins) are exported whole with
``rows_export``. Anything that is another person's content or a shared record (sign-off
summaries, supervision records, moderation history, invitations and assignments made for an
organisation) is exported with ``scoped_export`` through the same scoped selector as the page
that shows it, so the download holds exactly what the screens show.

Erasure runs the handlers (lowest ``order`` first) and then deletes the user row; anything a
handler leaves is dealt with by each foreign key's ``on_delete`` (CASCADE deletes, SET_NULL
pseudonymises). Export handlers return JSON-ready rows and never include secrets (password
hashes, two-factor secrets, link tokens).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q

Exporter = Callable[[object], list[dict]]
Eraser = Callable[[object], None]


@dataclass(frozen=True)
class PrivacyHandler:
    label: str  # "app_label.ModelName" (lower or mixed case)
    fields: tuple[str, ...]  # the user relations this handler covers
    export: Exporter | None
    erase: Eraser | None
    note: str  # plain English: what happens to these records on erasure, and why
    order: int = 50


@dataclass(frozen=True)
class PrivacyDocument:
    """A human-readable file added to the archive (journal PDF, supervision log PDF)."""

    name: str
    build: Callable[[object], bytes | None]


@dataclass(frozen=True)
class PrivacyFiles:
    """Files the person uploaded, added to the archive as themselves (under ``files/<folder>/``):
    ``source(user)`` yields (file name, opener) pairs, the opener returning the file for reading
    in binary, so each file is streamed into the archive rather than read whole."""

    folder: str
    source: Callable[[object], Iterable[tuple[str, Callable[[], IO[bytes]]]]]


_HANDLERS: dict[str, PrivacyHandler] = {}
_DOCUMENTS: dict[str, PrivacyDocument] = {}
_FILES: dict[str, PrivacyFiles] = {}


def register(
    label: str,
    *,
    fields: Iterable[str],
    note: str,
    export: Exporter | None = None,
    erase: Eraser | None = None,
    order: int = 50,
) -> PrivacyHandler:
    """Register how ``label``'s relations to a person are exported and erased."""
    handler = PrivacyHandler(
        label=apps.get_model(label)._meta.label_lower,
        fields=tuple(fields),
        export=export,
        erase=erase,
        note=note,
        order=order,
    )
    _HANDLERS[handler.label] = handler
    return handler


def register_document(name: str, build: Callable[[object], bytes | None]) -> None:
    _DOCUMENTS[name] = PrivacyDocument(name=name, build=build)


def register_files(
    folder: str, source: Callable[[object], Iterable[tuple[str, Callable[[], IO[bytes]]]]]
) -> None:
    _FILES[folder] = PrivacyFiles(folder=folder, source=source)


def file_sources() -> list[PrivacyFiles]:
    return [_FILES[folder] for folder in sorted(_FILES)]


def handlers() -> list[PrivacyHandler]:
    return sorted(_HANDLERS.values(), key=lambda h: (h.order, h.label))


def documents() -> list[PrivacyDocument]:
    return [_DOCUMENTS[name] for name in sorted(_DOCUMENTS)]


def user_relations() -> list[tuple[str, str]]:
    """Every (model label, field name) in the project that points at a person: foreign keys,
    one-to-ones and many-to-manys to the user model, plus the user model's own many-to-manys
    (groups, permissions). Inherited fields are reported once, on the model that defines them."""
    user_model = get_user_model()
    found: set[tuple[str, str]] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created:
                continue  # reverse relations are auto-created; the forward side is counted
            points_at_user = field.related_model is user_model
            own_m2m = model is user_model and field.many_to_many
            if points_at_user or own_m2m:
                found.add((field.model._meta.label_lower, field.name))
    return sorted(found)


def uncovered() -> list[str]:
    """User relations with no registered handler (the registry test asserts this is empty)."""
    missing = []
    for label, name in user_relations():
        handler = _HANDLERS.get(label)
        if handler is None or name not in handler.fields:
            missing.append(f"{label}.{name}")
    return missing


# --- Helpers for the common cases -------------------------------------------------------------


def _q(fields: Iterable[str], user) -> Q:
    q = Q()
    for name in fields:
        q |= Q(**{name: user.pk})
    return q


def rows_export(label: str, fields: Iterable[str], *, exclude: Iterable[str] = ()) -> Exporter:
    """Export every column (but ``exclude``) of the rows whose ``fields`` point at the person."""
    fields = tuple(fields)
    skip = set(exclude)

    def export(user) -> list[dict]:
        model = apps.get_model(label)
        names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        return list(model._base_manager.filter(_q(fields, user)).values(*names).order_by("pk"))

    return export


def scoped_export(
    label: str, visible: Callable[[object], object], *, exclude: Iterable[str] = ()
) -> Exporter:
    """Export every column (but ``exclude``) of the rows ``visible(user)`` returns: a queryset
    built on the scoped selector the screens use, so a download never holds another person's
    content or a shared record that the person's own pages would answer with 404."""
    skip = set(exclude)

    def export(user) -> list[dict]:
        model = apps.get_model(label)
        names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        return list(visible(user).values(*names).order_by("pk"))

    return export


def rows_delete(label: str, fields: Iterable[str]) -> Eraser:
    fields = tuple(fields)

    def erase(user) -> None:
        apps.get_model(label)._base_manager.filter(_q(fields, user)).delete()

    return erase


def rows_unlink(label: str, fields: Iterable[str]) -> Eraser:
    """Set the person's relations to NULL and keep the rows (pseudonymised)."""
    fields = tuple(fields)

    def erase(user) -> None:
        manager = apps.get_model(label)._base_manager
        for name in fields:
            manager.filter(**{name: user.pk}).update(**{name: None})

    return erase


def m2m_export(label: str, field: str) -> Exporter:
    """The ids of the rows a person is linked to through a many-to-many ``field``."""

    def export(user) -> list[dict]:
        model = apps.get_model(label)
        through = model._meta.get_field(field).remote_field.through
        user_model = get_user_model()
        user_col = next(
            f.attname
            for f in through._meta.concrete_fields
            if f.is_relation and f.related_model is user_model
        )
        return list(through.objects.filter(**{user_col: user.pk}).values().order_by("pk"))

    return export


def m2m_delete(label: str, field: str) -> Eraser:
    """Remove the person from a many-to-many ``field`` (the other side's rows stay)."""

    def erase(user) -> None:
        model = apps.get_model(label)
        through = model._meta.get_field(field).remote_field.through
        user_model = get_user_model()
        user_col = next(
            f.attname
            for f in through._meta.concrete_fields
            if f.is_relation and f.related_model is user_model
        )
        through.objects.filter(**{user_col: user.pk}).delete()

    return erase


def exports_join(*parts: Exporter) -> Exporter:
    def export(user) -> list[dict]:
        return [row for part in parts for row in part(user)]

    return export


def combine(*parts: Eraser | None) -> Eraser:
    def erase(user) -> None:
        for part in parts:
            if part is not None:
                part(user)

    return erase


def delete_files(label: str, fields: Iterable[str], file_field: str = "file") -> Eraser:
    """Delete the stored files of the person's rows (the rows go with ``rows_delete``)."""
    fields = tuple(fields)

    def erase(user) -> None:
        for row in apps.get_model(label)._base_manager.filter(_q(fields, user)):
            stored = getattr(row, file_field)
            if stored:
                stored.delete(save=False)

    return erase


from learning.privacy import core, third_party  # noqa: E402, F401  (register learning's and others' models)
