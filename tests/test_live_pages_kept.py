"""Live modules and their lessons are kept per process (modules/progress/selectors.py) under the
content generation (learning/pagecache.py): read once, handed out as each caller's own copy,
and never served after a publish, an unpublish, a move, a save or a delete."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from zeal import zeal_ignore

from learning import pagecache
from modules.models import LessonPage, ModulePage
from modules.progress import selectors

from .factories import UserFactory
from .module_factories import make_catalogue, make_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    with zeal_ignore():  # building the page tree repeats queries by design
        make_catalogue()
        return make_module(lessons=3)


def test_module_and_lessons_are_read_once_per_generation(module, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = selectors.module_by_slug(module.slug)
        assert found is not None
        lessons = selectors.lessons_of(found)
    with django_assert_num_queries(0):
        again = selectors.module_by_slug(module.slug)
        assert again is not None
        assert [lesson.pk for lesson in selectors.lessons_of(again)] == [
            lesson.pk for lesson in lessons
        ]


def test_a_missing_module_is_none_and_stays_none_until_something_changes(module):
    assert selectors.module_by_slug("no-such-module") is None
    assert selectors.module_by_slug("no-such-module") is None
    # A module published under that slug afterwards is found at once: the kept "none" was
    # under the generation its publishing moved on from.
    with zeal_ignore():
        later = make_module(lessons=1)
        later.slug = "no-such-module"
        later.save_revision().publish()
    found = selectors.module_by_slug("no-such-module")
    assert found is not None and found.pk == later.pk


def test_every_caller_gets_its_own_copies(module):
    first = selectors.lessons_of(module)
    first[0].shown_title = "Only for the first caller"
    second = selectors.lessons_of(module)
    assert first[0] is not second[0]
    assert not hasattr(second[0], "shown_title")
    one, two = selectors.module_by_slug(module.slug), selectors.module_by_slug(module.slug)
    assert one is not two
    one.title = "Changed on one copy"
    assert two.title == module.title


def test_publishing_a_change_is_seen_on_the_next_request(client, module):
    lesson = selectors.lessons_of(module)[0]
    client.force_login(UserFactory())
    assert lesson.title in client.get(lesson.url).content.decode()
    page = LessonPage.objects.get(pk=lesson.pk)
    page.title = "A lesson with a new title"
    with zeal_ignore():
        page.save_revision().publish()
    assert "A lesson with a new title" in client.get(lesson.url).content.decode()


def test_unpublishing_a_lesson_takes_it_off_the_module_at_once(client, module):
    first, second, _third = selectors.lessons_of(module)
    client.force_login(UserFactory())
    assert second.title in client.get(first.url).content.decode()
    with zeal_ignore():
        LessonPage.objects.get(pk=second.pk).unpublish()
    assert client.get(second.url).status_code == 404
    assert second.title not in client.get(first.url).content.decode()
    assert second.pk not in [lesson.pk for lesson in selectors.lessons_of(module)]


def test_unpublishing_a_module_takes_it_away_at_once(client, module):
    lesson = selectors.lessons_of(module)[0]
    assert client.get(lesson.url).status_code == 200
    with zeal_ignore():
        ModulePage.objects.get(pk=module.pk).unpublish()
    assert selectors.module_by_slug(module.slug) is None
    assert client.get(lesson.url).status_code == 404


def test_a_page_saved_by_code_is_seen_at_once(module):
    selectors.module_by_slug(module.slug)
    page = ModulePage.objects.get(pk=module.pk)
    page.title = "Saved by a script"
    with zeal_ignore():
        page.save()
    found = selectors.module_by_slug(module.slug)
    assert found is not None
    assert found.title == "Saved by a script"


def test_deleting_a_lesson_takes_it_away_at_once(module):
    first, second, third = selectors.lessons_of(module)
    with zeal_ignore():
        LessonPage.objects.get(pk=second.pk).delete()
    assert [lesson.pk for lesson in selectors.lessons_of(module)] == [first.pk, third.pk]


def test_another_process_sees_a_change_within_the_check_interval(module, monkeypatch):
    """Another process publishes: this one learns of it from the shared generation, which it
    reads at most once per ``GENERATION_CHECK_SECONDS``."""
    selectors.module_by_slug(module.slug)
    # The other process's write: the row changes and the shared number moves, with nothing
    # said to this process.
    ModulePage.objects.filter(pk=module.pk).update(title="Published elsewhere")
    cache.incr(pagecache.GENERATION_KEY)
    clock = {"now": pagecache.time.monotonic()}
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock["now"])
    pagecache._generation["checked"] = clock["now"]
    kept = selectors.module_by_slug(module.slug)
    assert kept is not None and kept.title == module.title
    clock["now"] += pagecache.GENERATION_CHECK_SECONDS
    fresh = selectors.module_by_slug(module.slug)
    assert fresh is not None and fresh.title == "Published elsewhere"


# --- what lists of modules show: titles, links and lesson counts ---------------------------


def test_lists_read_modules_and_lesson_counts_once_per_generation(
    module, django_assert_num_queries
):
    with django_assert_num_queries(2):  # every live module; every live module's lessons
        found = selectors.kept_modules([module.pk])
        counts = selectors.kept_lesson_counts([found[module.pk]])
    assert found[module.pk].title == module.title
    assert counts == {module.pk: 3}
    with django_assert_num_queries(0):
        assert selectors.kept_lesson_counts(list(selectors.kept_modules([module.pk]).values())) == {
            module.pk: 3
        }


def test_a_list_module_is_each_callers_own_copy(module):
    one = selectors.kept_modules([module.pk])[module.pk]
    one.title = "Changed on one copy"
    assert selectors.kept_modules([module.pk])[module.pk].title == module.title


def test_a_new_lesson_and_a_new_title_show_in_lists_at_once(module):
    assert selectors.kept_lesson_counts([module]) == {module.pk: 3}
    with zeal_ignore():
        page = ModulePage.objects.get(pk=module.pk)
        page.add_child(instance=LessonPage(title="A fourth lesson", slug="fourth"))
        page.title = "A module with a new title"
        page.save_revision().publish()
    assert selectors.kept_lesson_counts([module]) == {module.pk: 4}
    assert selectors.kept_modules([module.pk])[module.pk].title == "A module with a new title"


def test_a_module_no_longer_live_is_still_listed_from_the_database(module):
    """Someone enrolled on a module that was unpublished since still sees it on My learning,
    with its lessons counted, as before lists were kept."""
    selectors.kept_modules([module.pk])
    with zeal_ignore():
        ModulePage.objects.get(pk=module.pk).unpublish()
    found = selectors.kept_modules([module.pk])
    assert found[module.pk].title == module.title
    assert selectors.kept_lesson_counts([found[module.pk]]) == {module.pk: 3}


def test_my_learning_shows_titles_links_and_progress_from_the_kept_lists(client, module):
    from modules.progress import services

    from .module_factories import answer_lesson_check

    user = UserFactory()
    lesson = selectors.lessons_of(module)[0]
    with zeal_ignore():
        services.enrolment_start(user=user, module=module)
        if lesson.knowledge_checks:
            answer_lesson_check(user, lesson)
        services.lesson_complete(user=user, lesson=lesson, module=module)
    client.force_login(user)
    page = client.get("/learning/").content.decode()
    assert f'href="{module.url}"' in page
    assert module.title in page
    assert "1 of 3 lessons complete" in page
    with zeal_ignore():
        renamed = ModulePage.objects.get(pk=module.pk)
        renamed.title = "Renamed for My learning"
        renamed.save_revision().publish()
    assert "Renamed for My learning" in client.get("/learning/").content.decode()


def test_continue_learning_reads_only_what_it_shows_and_links_to_the_last_lesson(
    client, module, django_assert_num_queries
):
    """My home's "Continue learning": one query for the enrolment with its module and last
    lesson, no page body read, and the link goes where the person left off."""
    from django.test import RequestFactory

    from modules.panels import continue_learning_panel
    from modules.progress import services

    user = UserFactory()
    _first, second, _third = selectors.lessons_of(module)
    with zeal_ignore():
        services.enrolment_start(user=user, module=module)
    request = RequestFactory().get("/dashboard/")
    request.user = user
    with django_assert_num_queries(1):
        panel = continue_learning_panel(request)
        assert panel is not None
        enrolment = panel["context"]["enrolment"]
        assert enrolment.module.title == module.title
        assert enrolment.last_lesson is None
    assert enrolment.module.url == module.url  # the site's root paths are read once, apart
    with zeal_ignore():
        services.enrolment_note_lesson(user=user, module=module, lesson=second)
    with django_assert_num_queries(1):
        enrolment = continue_learning_panel(request)["context"]["enrolment"]
        assert enrolment.last_lesson.title == second.title
        assert {"body", "final_check"}.isdisjoint(enrolment.module.__dict__)
        assert "body" not in enrolment.last_lesson.__dict__
    assert enrolment.last_lesson.url == second.url
    client.force_login(user)
    page = client.get("/dashboard/").content.decode()
    assert "Continue learning" in page
    assert f'href="{second.url}"' in page
    assert f"Carry on with “{second.title}”" in page


def test_an_empty_list_reads_nothing(module, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.kept_modules([]) == {}
        assert selectors.kept_lesson_counts([]) == {}


def test_my_learning_cards_and_rows_follow_each_persons_progress_and_certificate(client, module):
    """Each card and row is kept per process under the values it shows: two people on the
    same module see their own progress, and a certificate shows as ready, being prepared or
    not at all, as it is for that person."""
    from modules.models import Certificate
    from modules.progress import services

    from .module_factories import answer_lesson_check
    from .report_factories import complete

    first, second = UserFactory(), UserFactory()
    lessons = selectors.lessons_of(module)
    with zeal_ignore():
        for user, count in ((first, 1), (second, 2)):
            services.enrolment_start(user=user, module=module)
            for lesson in lessons[:count]:
                if lesson.knowledge_checks:
                    answer_lesson_check(user, lesson)
                services.lesson_complete(user=user, lesson=lesson, module=module)
    client.force_login(first)
    assert "1 of 3 lessons complete" in client.get("/learning/").content.decode()
    client.force_login(second)
    page = client.get("/learning/").content.decode()
    assert "2 of 3 lessons complete" in page and "1 of 3" not in page

    with zeal_ignore():
        other = make_module(lessons=1, title="Writing with the woman")
        complete(first, other, code="HH-READY-01")
        complete(second, other, code="HH-WAIT-02")
        Certificate.objects.filter(code="HH-WAIT-02").update(status=Certificate.Status.PENDING)
    client.force_login(first)
    page = client.get("/learning/").content.decode()
    assert reverse("certificate_download", kwargs={"code": "HH-READY-01"}) in page
    assert "Being prepared" not in page
    client.force_login(second)
    page = client.get("/learning/").content.decode()
    assert "Being prepared" in page and "HH-READY-01" not in page and "HH-WAIT-02" not in page
    Certificate.objects.filter(code="HH-WAIT-02").delete()
    page = client.get("/learning/").content.decode()
    assert "Being prepared" not in page and "Writing with the woman" in page
