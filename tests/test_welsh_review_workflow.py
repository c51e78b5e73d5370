"""An editor's Welsh translation goes through the same review as any page change, in the admin:
the editor chooses "Translate this page" (wagtail-localize), translates the segments (a PO file
here, as a translator would), and submits the translation for review; the editor cannot publish
it. A content reviewer approves it and it is published. A Welsh reader then reads it, and
progress made on the Welsh lesson is the English lesson's progress."""

from __future__ import annotations

import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import Translation

from learning import permissions
from modules.models import LessonCompletion, LessonPage, ModulePage
from modules.pages import translation
from modules.progress import selectors, selectors_checks

from .factories import UserFactory, add_to_group
from .module_factories import make_module, shown_positions

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return add_to_group(UserFactory(), permissions.CONTENT_EDITORS)


@pytest.fixture
def reviewer():
    return add_to_group(UserFactory(), "Content reviewers")


def _translation(page, welsh) -> Translation:
    return Translation.objects.get(
        source__object_id=page.translation_key, target_locale=welsh, enabled=True
    )


def _translate_by_po_file(client, job: Translation) -> None:
    """Download the PO file, translate every message ("CY " + the English) and upload it."""
    download = client.get(reverse("wagtail_localize:download_pofile", args=[job.pk]))
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    for entry in po:
        entry.msgstr = f"CY {entry.msgid}"
    upload = client.post(
        reverse("wagtail_localize:upload_pofile", args=[job.pk]),
        {"file": SimpleUploadedFile("cy.po", str(po).encode(), "text/x-gettext-translation")},
    )
    assert upload.status_code == 302


def _welsh_page(model, source, welsh):
    return model.objects.get(translation_key=source.translation_key, locale=welsh)


def test_an_editor_submits_a_welsh_lesson_a_reviewer_publishes_it_and_progress_is_shared(
    client, editor, reviewer, django_capture_on_commit_callbacks
):
    from zeal import zeal_ignore

    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    welsh = Locale.objects.get(language_code="cy")

    # The editor translates the module and its lesson with "Translate this page".
    client.force_login(editor)
    buttons = client.get(reverse("wagtailadmin_explore", args=[module.get_parent().pk]))
    assert reverse("wagtail_localize:submit_page_translation", args=[module.pk]) in (
        buttons.content.decode()
    )
    # wagtail-localize reads and writes segments one query at a time: an editor's action.
    with zeal_ignore(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:submit_page_translation", args=[module.pk]),
            {"locales": [welsh.pk], "include_subtree": "on"},
        )
    assert response.status_code == 302
    cy_module = _welsh_page(ModulePage, module, welsh)
    cy_lesson = _welsh_page(LessonPage, lesson, welsh)
    # Drafts until reviewed, though the English pages are live.
    assert not cy_module.live and not cy_lesson.live
    with zeal_ignore(), django_capture_on_commit_callbacks(execute=True):
        for page in (module, lesson):
            _translate_by_po_file(client, _translation(page, welsh))

        # The translation editor offers no way for an editor to publish.
        edit = client.post(
            reverse("wagtailadmin_pages:edit", args=[cy_lesson.pk]), {"action": "publish"}
        )
        assert edit.status_code == 302 and edit.url == reverse("wagtailadmin_home")  # refused

        # The editor submits each translation for review, from its page's "Submit" button.
        listing = client.get(reverse("wagtailadmin_explore", args=[cy_module.pk]))
        submit_url = reverse("modules_translation_submit", args=[cy_lesson.pk])
        assert submit_url in listing.content.decode()
        confirm = client.get(submit_url)
        assert confirm.status_code == 200
        assert "Submit for review" in confirm.content.decode()
        for page in (cy_module, cy_lesson):
            response = client.post(reverse("modules_translation_submit", args=[page.pk]))
            assert response.status_code == 302

    cy_lesson = LessonPage.objects.get(pk=cy_lesson.pk)
    state = cy_lesson.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.requested_by == editor
    assert not cy_lesson.live
    draft = cy_lesson.get_latest_revision_as_object()
    assert draft.title == f"CY {lesson.title}"
    # Nothing Welsh is shown to readers while it is in review.
    welsh_reader = UserFactory(language="cy")
    client.force_login(welsh_reader)
    reading = client.get(lesson.url).content.decode()
    assert f'<h1 lang="en">{lesson.title}</h1>' in reading and "hope-untranslated" in reading
    # Submitting again while it is in review is refused.
    client.force_login(editor)
    client.post(reverse("modules_translation_submit", args=[cy_lesson.pk]))
    assert LessonPage.objects.get(pk=cy_lesson.pk).current_workflow_state.pk == state.pk

    # The editor cannot approve their own submission; a reviewer can, and it goes live.
    def approve(page):
        task_state = page.current_workflow_task_state
        return client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
        )

    approve(cy_lesson)
    assert not LessonPage.objects.get(pk=cy_lesson.pk).live
    client.force_login(reviewer)
    with zeal_ignore(), django_capture_on_commit_callbacks(execute=True):
        for page in (ModulePage.objects.get(pk=cy_module.pk), cy_lesson):
            assert approve(page).status_code in (200, 302)
    cy_module = ModulePage.objects.get(pk=cy_module.pk)
    cy_lesson = LessonPage.objects.get(pk=cy_lesson.pk)
    assert cy_module.live and cy_lesson.live
    assert cy_lesson.title == f"CY {lesson.title}"
    state.refresh_from_db()
    assert state.status == "approved"
    # The module's learning outcomes were translated too, each paired with its English one.
    english_outcomes = list(module.learning_outcomes.order_by("sort_order"))
    welsh_outcomes = list(cy_module.learning_outcomes.order_by("sort_order"))
    assert [o.text for o in welsh_outcomes] == [f"CY {o.text}" for o in english_outcomes]
    assert [o.translation_key for o in welsh_outcomes] == [
        o.translation_key for o in english_outcomes
    ]

    # A Welsh reader sees it at the English address, and their progress is the English lesson's.
    client.force_login(welsh_reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    module_page = client.get(module.url).content.decode()
    assert f"CY {english_outcomes[0].text}" in module_page
    page = client.get(lesson.url).content.decode()
    assert f"<h1>CY {lesson.title}</h1>" in page and "hope-untranslated" not in page
    assert translation.shown(lesson, "cy").text.pk == cy_lesson.pk
    # Before starting, the confidence ratings are asked about the Welsh outcomes (recorded
    # against the English ones).
    start = client.get(reverse("module_start", args=[module.pk])).content.decode()
    assert f"CY {module.title}" in start
    assert f'nhsuk-fieldset__legend--s">CY {english_outcomes[0].text}</legend>' in start
    assert f'name="outcome-{english_outcomes[0].pk}"' in start
    client.post(reverse("module_start", args=[module.pk]))
    check = selectors_checks.lesson_checks_shown(welsh_reader, lesson, text=cy_lesson)
    block = cy_lesson.knowledge_checks[0]
    shown = check[block.id]
    assert shown.question.startswith("CY ")
    response = client.post(
        reverse("lesson_check_answer", args=[lesson.pk, block.id]),
        {"round": shown.round, "answer": shown_positions(shown.order, block.value)},
    )
    assert response.status_code == 302
    client.post(reverse("lesson_complete", args=[lesson.pk]))
    assert LessonCompletion.objects.filter(user=welsh_reader, lesson=lesson).exists()
    assert not LessonCompletion.objects.filter(lesson_id=cy_lesson.pk).exists()


def test_sync_translated_pages_publishes_only_for_someone_who_may_publish(
    client, editor, reviewer, django_capture_on_commit_callbacks
):
    """An editor syncing a changed English lesson into its Welsh translation cannot publish it
    past review ("Publish immediately" is switched off for them); a reviewer can."""
    from wagtail_localize.models import TranslationSource
    from zeal import zeal_ignore

    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    welsh_title = f"CY {lesson.title}"
    welsh = Locale.objects.get(language_code="cy")
    with zeal_ignore(), django_capture_on_commit_callbacks(execute=True):
        for page in (module, lesson):
            source, _created = TranslationSource.get_or_create_from_instance(page)
            job = Translation.objects.create(source=source, target_locale=welsh)
            po = job.export_po()
            for entry in po:
                entry.msgstr = f"CY {entry.msgid}"
            job.import_po(po, user=reviewer)
            job.save_target(user=reviewer, publish=True)
        # The English lesson changes.
        changed = lesson.get_latest_revision_as_object()
        changed.title = "A new English title"
        changed.save_revision(user=reviewer).publish()
    cy_lesson = _welsh_page(LessonPage, lesson, welsh)
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    url = reverse("wagtail_localize:update_translations", args=[source.pk])

    client.force_login(editor)
    form = client.get(url).content.decode()
    assert 'name="publish_translations"' in form and "disabled" in form
    with zeal_ignore(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"publish_translations": "on"})
    assert response.status_code == 302
    cy_lesson = LessonPage.objects.get(pk=cy_lesson.pk)
    assert cy_lesson.title == welsh_title  # the live Welsh page is unchanged
    # The new English words wait in the translation editor, to translate and submit.
    assert source.stringsegment_set.filter(string__data="A new English title").exists()

    client.force_login(reviewer)
    with zeal_ignore(), django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"publish_translations": "on"})
    cy_lesson = LessonPage.objects.get(pk=cy_lesson.pk)
    assert cy_lesson.title == "A new English title"  # published; to translate, untranslated


def test_without_a_welsh_module_the_outcomes_to_rate_are_marked_as_english(client):
    module = make_module(lessons=1)
    client.force_login(UserFactory(language="cy"))
    start = client.get(reverse("module_start", args=[module.pk])).content.decode()
    outcome = module.learning_outcomes.order_by("sort_order").first()
    assert f'lang="en">{outcome.text}</legend>' in start
    assert f'<span class="nhsuk-caption-l" lang="en">{module.title}</span>' in start
