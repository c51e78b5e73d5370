"""A translation goes to review like any page change. wagtail-localize's translation editor
offers only "Publish", which content editors do not have (publishing is left to the "Module
review" workflow), so an editor submits a translation from here: its translated segments are
saved as a draft revision of the translated page (untranslated ones still in English) and that
revision is submitted to the page's workflow. A content reviewer who reads the language checks
it and approves it, and approving publishes it."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import Translation

from learning.models import User


def translation_of(page: Page) -> Translation | None:
    """The synced translation that ``page`` is the target of (it was made with "Translate this
    page" and is still kept in step with its source), or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source")
        .first()
    )


def can_submit_translation(user: User, page: Page) -> bool:
    """Someone who may edit ``page`` may submit its translation, when the page has a review
    workflow and is not already in review."""
    return (
        page.permissions_for_user(user).can_edit()
        and page.get_workflow() is not None
        and not page.workflow_in_progress
    )


class TranslationNotSubmitted(Exception):
    """The page is not a translation, has no review workflow, or is already in review."""


@transaction.atomic
def submit_translation_for_review(*, page: Page, user: User) -> WorkflowState:
    """Save ``page``'s translated segments as a draft revision by ``user`` and start the
    review workflow on it. Wagtail logs both (the page's history)."""
    translation = translation_of(page)
    if translation is None or not can_submit_translation(user, page):
        raise TranslationNotSubmitted
    translation.save_target(user=user, publish=False)
    page = page.specific_class.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    return workflow.start(page, user)
