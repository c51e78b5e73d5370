"""Welsh content: a module and its lessons in Welsh, installed from ``modules/curriculum/cy/`` or
translated in the admin with wagtail-localize. A Welsh reader sees the live Welsh version at
the same address; without one, the English page with a notice and ``lang="en"``. Progress,
check answers and certificates belong to the English page whichever version was read."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Locale

from modules.models import InstalledPage, LessonCompletion, LessonPage, ModulePage
from modules.pages import translation
from modules.progress import selectors, selectors_checks
from modules.seed_curriculum import seed_curriculum

from .factories import UserFactory
from .module_factories import make_module, shown_positions

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "curriculum"
FILE = "04-information-sharing.json"
NOTICE_EN = "This is not available in Welsh yet. You are reading the English version."


@pytest.fixture
def curriculum(tmp_path):
    """A curriculum folder with one (cut-down) module and its Welsh translation."""
    shutil.copy(FIXTURES / FILE, tmp_path / FILE)
    (tmp_path / "cy").mkdir()
    shutil.copy(FIXTURES / "cy" / FILE, tmp_path / "cy" / FILE)
    seed_curriculum(directory=tmp_path)
    return tmp_path


def _welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def _english_module():
    return ModulePage.objects.get(slug="information-sharing", locale__language_code="en-gb")


# --- installing -------------------------------------------------------------------------------


def test_the_installer_puts_in_the_welsh_translation_with_the_same_checks(curriculum):
    module = _english_module()
    welsh = module.get_translation(Locale.objects.get(language_code="cy"))
    assert welsh.live and welsh.title == "Rhannu gwybodaeth yn ddiogel"
    # The English structure: the same slug, topics and minutes, whatever the Welsh file says.
    assert welsh.slug == module.slug and welsh.estimated_minutes == module.estimated_minutes
    assert [o.text for o in welsh.learning_outcomes.all()] == [
        "Erbyn y diwedd byddwch yn gallu enwi a chymhwyso wyth egwyddor Caldicott."
    ]
    assert [b.id for b in welsh.final_check] == [b.id for b in module.final_check]
    for lesson in selectors.lessons_of(module):
        cy = lesson.get_translation(welsh.locale)
        assert cy.live and cy.slug == lesson.slug and cy.title != lesson.title
        assert [b.id for b in cy.knowledge_checks] == [b.id for b in lesson.knowledge_checks]
        assert [[o["correct"] for o in b.value["options"]] for b in cy.knowledge_checks] == [
            [o["correct"] for o in b.value["options"]] for b in lesson.knowledge_checks
        ]


def test_installing_again_changes_nothing_and_keeps_a_translators_edit(curriculum):
    welsh = _english_module().get_translation(Locale.objects.get(language_code="cy"))
    revisions = welsh.revisions.count()
    seed_curriculum(directory=curriculum)
    assert welsh.revisions.count() == revisions
    assert InstalledPage.objects.filter(key__endswith=":cy").count() == 3

    # A translator improves the summary; then the shipped Welsh file changes.
    draft = welsh.get_latest_revision_as_object()
    draft.summary = "Crynodeb gwell gan gyfieithydd."
    draft.save_revision(user=UserFactory()).publish()
    path = curriculum / "cy" / FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("Pryd a sut", "Sut a phryd"), encoding="utf-8"
    )
    seed_curriculum(directory=curriculum)
    welsh.refresh_from_db()
    assert welsh.summary == "Crynodeb gwell gan gyfieithydd."  # live page left alone


def test_a_welsh_file_of_another_shape_is_refused(tmp_path):
    shutil.copy(FIXTURES / FILE, tmp_path / FILE)
    (tmp_path / "cy").mkdir()
    text = (FIXTURES / "cy" / FILE).read_text(encoding="utf-8")
    (tmp_path / "cy" / FILE).write_text(text.replace('"summary"', '"crynodeb"', 1), "utf-8")
    with pytest.raises(ValueError, match="keys differ"):
        seed_curriculum(directory=tmp_path)
    assert not ModulePage.objects.exists()


# --- reading ----------------------------------------------------------------------------------


def test_a_welsh_reader_sees_the_welsh_module_and_lesson_at_the_same_address(curriculum, client):
    module = _english_module()
    lesson = selectors.lessons_of(module)[0]
    page = _welsh(client).get(module.url).content.decode()
    assert "Rhannu gwybodaeth yn ddiogel</h1>" in page
    assert "Pam a phryd rydym yn rhannu</a>" in page  # the lesson list in Welsh
    assert 'lang="en"' not in page
    page = client.get(lesson.url).content.decode()
    assert "Mae rhannu gwybodaeth yn rhan o gadw pobl yn ddiogel." in page
    assert "A yw ofn torri rheolau diogelu data" in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    page = client.get(lesson.url).content.decode()
    assert "Sharing information is part of keeping people safe." in page
    assert "Mae rhannu" not in page


def test_without_a_welsh_version_the_english_shows_with_a_notice_and_lang(client):
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    page = _welsh(client).get(module.url).content.decode()
    assert "Nid yw hwn ar gael yn Gymraeg eto" in page or NOTICE_EN in page
    assert f'<h1 lang="en">{module.title}</h1>' in page
    assert f'lang="en">{lesson.title}</a>' in page
    page = client.get(lesson.url).content.decode()
    assert f'<h1 lang="en">{lesson.title}</h1>' in page
    assert '<div class="hope-lesson-body" lang="en">' in page
    # In English there is nothing to say.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    page = client.get(lesson.url).content.decode()
    assert "hope-untranslated" not in page and f"<h1>{lesson.title}</h1>" in page


def test_the_catalogue_lists_welsh_titles_and_searches_in_welsh(curriculum, client):
    make_module(title="Untranslated module", lessons=1)
    page = _welsh(client).get(reverse("module_catalogue")).content.decode()
    assert "Rhannu gwybodaeth yn ddiogel</a>" in page
    assert 'lang="en">Untranslated module</a>' in page
    found = client.get(reverse("module_catalogue"), {"q": "Caldicott"}).content.decode()
    assert "Egwyddorion Caldicott</a>" in found
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    found = client.get(reverse("module_catalogue"), {"q": "Caldicott"}).content.decode()
    assert "The Caldicott principles</a>" in found and "Egwyddorion" not in found


# --- progress ---------------------------------------------------------------------------------


def test_progress_made_in_welsh_is_the_english_modules_progress(curriculum, client):
    user = UserFactory(language="cy")
    client.force_login(user)
    module = _english_module()
    lesson = selectors.lessons_of(module)[0]
    client.post(reverse("module_start", args=[module.pk]))
    welsh_lesson = lesson.get_translation(Locale.objects.get(language_code="cy"))
    page = client.get(lesson.url).content.decode()
    assert "Pam a phryd rydym yn rhannu</h1>" in page
    # The check's form answers the English lesson's check.
    assert reverse("lesson_check_answer", args=[lesson.pk, lesson.knowledge_checks[0].id]) in page
    # Answer the check as shown in Welsh (the Welsh options, the English marking).
    check = selectors_checks.lesson_checks_shown(user, lesson, text=welsh_lesson)
    block = welsh_lesson.knowledge_checks[0]
    shown = check[block.id]
    assert shown.question.startswith("A yw ofn")
    response = client.post(
        reverse("lesson_check_answer", args=[lesson.pk, block.id]),
        {"round": shown.round, "answer": shown_positions(shown.order, block.value)},
    )
    assert response.status_code == 302
    client.post(reverse("lesson_complete", args=[lesson.pk]))
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).exists()
    # The Welsh page's own ids are never a place to record progress.
    assert client.post(reverse("lesson_complete", args=[welsh_lesson.pk])).status_code == 404

    client.get(reverse("language_switch", kwargs={"code": "en-gb"}), {"next": "/"})
    page = client.get(module.url).content.decode()
    assert "<h1>Sharing information safely</h1>" in page
    assert "50%" in page or 'value="50"' in page or "1 of 2" in page


# --- editors: wagtail-localize ------------------------------------------------------------------


def test_an_editor_translates_a_lesson_by_segments_and_po_file(
    client, django_capture_on_commit_callbacks
):
    """What the admin's "Translate" action does: the page's text as segments, exported to a
    PO file for a translator, imported back, then the Welsh page saved and published."""
    from wagtail_localize.models import Translation, TranslationSource
    from zeal import zeal_ignore

    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    welsh = Locale.objects.get(language_code="cy")
    editor = UserFactory()
    # wagtail-localize reads its segments one query at a time: an editor's action, not a page.
    with zeal_ignore(), django_capture_on_commit_callbacks(execute=True):
        for page in (module, lesson):
            source, _created = TranslationSource.get_or_create_from_instance(page)
            job = Translation.objects.create(source=source, target_locale=welsh)
            po = job.export_po()
            for entry in po:
                entry.msgstr = f"CY {entry.msgid}"
            job.import_po(po, user=editor)
            job.save_target(user=editor, publish=True)
    cy = LessonPage.objects.get(translation_key=lesson.translation_key, locale=welsh)
    assert cy.live and cy.title == f"CY {lesson.title}"
    assert [b.id for b in cy.knowledge_checks] == [b.id for b in lesson.knowledge_checks]
    page = _welsh(client).get(lesson.url).content.decode()
    assert f"<h1>CY {lesson.title}</h1>" in page and "hope-untranslated" not in page
    assert translation.shown(lesson, "cy").text.pk == cy.pk


def test_an_english_only_landing_page_is_marked_english_for_a_welsh_reader(client, home_page):
    page = _welsh(client).get("/").content.decode()
    assert "hope-untranslated" in page
    assert f'<h1 lang="en">{home_page.title}</h1>' in page
    assert f'<p class="nhsuk-lede-text" lang="en">{home_page.lead}</p>' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    page = client.get("/").content.decode()
    assert "hope-untranslated" not in page and f"<h1>{home_page.title}</h1>" in page


def test_a_certificate_names_the_module_in_its_holders_language(curriculum):
    from modules.certificates.services import certificate_issue

    module = _english_module()
    welsh = certificate_issue(
        user=UserFactory(language="cy"), module=module, completed_on=date(2026, 11, 2)
    )
    english = certificate_issue(
        user=UserFactory(language="en-gb"), module=module, completed_on=date(2026, 11, 2)
    )
    assert welsh.module == english.module == module  # one certificate for both versions
    assert welsh.module_title == "Rhannu gwybodaeth yn ddiogel"
    assert english.module_title == "Sharing information safely"
