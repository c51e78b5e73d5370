"""Installing one shipped page (``manage.py install_curriculum``), so that a second run after a
curriculum update never overwrites an editor's work.

Each shipped page has a key and a fingerprint of its shipped source. ``InstalledPage`` keeps
the fingerprint last installed and the revision the installer made. On each run, for each page:

- not there: created and published (unless it was installed before and an editor has since
  deleted it: then it stays deleted, and the summary says so);
- the shipped source is unchanged: left exactly as it is;
- the shipped source has changed and nobody has changed the page since it was installed: a new
  revision with the shipped content is published;
- the shipped source has changed and someone has changed the page since (its latest or its live
  revision is not the installer's, or, for a page installed before this record was kept, any
  revision was made by a person): the live page is left alone; a new revision (the latest
  draft with the shipped content on top) is saved and submitted to the page's review
  workflow, for a content reviewer to compare and decide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from wagtail.models import Page, Revision, TranslatableMixin

from learning.seeding import InstallReport
from modules.models import InstalledPage


@dataclass(frozen=True)
class Shipped:
    """One page of the shipped content: ``build`` makes it afresh (unsaved); ``fields`` and
    ``relations`` (child objects and many-to-many) are what the shipped content sets."""

    key: str
    label: str
    source: Any
    build: Callable[[], Page]
    fields: tuple[str, ...]
    relations: tuple[str, ...] = ()


def fingerprint(source: Any) -> str:
    text = json.dumps(source, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record(key: str, page: Page, revision: Revision, digest: str) -> None:
    InstalledPage.objects.update_or_create(
        key=key, defaults={"page": page, "revision": revision, "fingerprint": digest}
    )


def _changed_by_someone(page: Page, record: InstalledPage | None) -> bool:
    """Whether the page is other than the installer left it: a later revision, or the
    installer's revision not live (still in review, or rejected)."""
    if record is not None:
        return record.revision_id != page.latest_revision_id or (
            record.revision_id != page.live_revision_id
        )
    return page.revisions.filter(user__isnull=False).exists()


def _apply(target: Page, built: Page, shipped: Shipped) -> None:
    for name in shipped.fields:
        setattr(target, name, getattr(built, name))
    for name in shipped.relations:
        items = list(getattr(built, name).all())
        _keep_translation_keys(list(getattr(target, name).all()), items)
        setattr(target, name, items)


def _keep_translation_keys(current: list, items: list) -> None:
    """A translatable child object (a learning outcome) takes the translation key of the one
    it replaces in the same place: an updated English outcome stays paired with its Welsh
    translation, and a new translation (a copy of the English page) pairs with the English."""
    for old, new in zip(current, items, strict=False):
        if isinstance(new, TranslatableMixin):
            new.translation_key = old.translation_key


def _submit(page: Page, report: InstallReport, label: str) -> None:
    workflow = page.get_workflow()
    if workflow is None:
        report.submitted.append(f"{label} (saved as a draft: the page has no review workflow)")
    elif page.workflow_in_progress:
        # Approving publishes the latest revision, so the review starts again with this one.
        page.current_workflow_state.cancel(user=None)
        workflow.start(page, None)
        report.submitted.append(f"{label} (the review in progress was started again)")
    else:
        workflow.start(page, None)
        report.submitted.append(label)


def _create(parent: Page | None, built: Page, shipped: Shipped, translation_of) -> Page:
    """A new page: a child of ``parent``, or a translation of the page ``translation_of``
    (a ``(page, locale)`` pair) made by Wagtail's own copy for translation, so it shares the
    page's translation key; Wagtail adds the translated parents it needs as aliases."""
    if translation_of is None:
        parent.add_child(instance=built)
        return built
    source, locale = translation_of
    page = source.copy_for_translation(locale, copy_parents=True).specific
    _apply(page, built, shipped)
    return page


@transaction.atomic
def install_page(
    report: InstallReport,
    *,
    parent: Page | None,
    shipped: Shipped,
    existing: Page | None,
    translation_of: tuple[Page, Any] | None = None,
) -> Page | None:
    """Put one shipped page in place under ``parent`` (see the module docstring), or, with
    ``translation_of`` (the source page and a locale), as that page's translation. ``existing``
    is the page found where the shipped page belongs, for a site installed before records were
    kept. Returns the page, or None if an editor deleted it."""
    record = InstalledPage.objects.filter(key=shipped.key).first()
    digest = fingerprint(shipped.source)
    if record is not None:
        page = record.page.specific if record.page_id else None
        if page is None:
            report.notes.append(f"{shipped.label}: deleted by an editor, so not put back.")
            return None
    else:
        page = existing
    if page is None:
        page = _create(parent, shipped.build(), shipped, translation_of)
        revision = page.save_revision()
        revision.publish()
        _record(shipped.key, page, revision, digest)
        report.created.append(shipped.label)
        return page
    if record is not None and record.fingerprint == digest:
        report.unchanged.append(shipped.label)
        return page
    changed = _changed_by_someone(page, record)
    # The latest revision (an editor's draft, if any) with the shipped content on top: what
    # the shipped content does not set stays as the editor left it.
    target = page.get_latest_revision_as_object()
    _apply(target, shipped.build(), shipped)
    revision = target.save_revision()
    if changed:
        _submit(target, report, shipped.label)
    else:
        revision.publish()
        report.updated.append(shipped.label)
    _record(shipped.key, target, revision, digest)
    return target
