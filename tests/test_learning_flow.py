"""Learning a module: enrol, answer checks (every attempt kept), complete lessons, pass the
end-of-module check, rate confidence; pages pinned to their query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from zeal import zeal_context

from learning.models import AuditEvent
from modules.models import (
    CheckAttempt,
    ConfidenceRating,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModuleCheckAttempt,
)
from modules.progress import selectors, selectors_checks, services

from .factories import UserFactory
from .module_factories import (
    answer_lesson_check,
    answer_module_check,
    check_block,
    make_module,
    module_check_answers,
)

pytestmark = pytest.mark.django_db


def _check_id(lesson):
    return lesson.knowledge_checks[0].id


def _complete_lessons(user, module):
    for lesson in selectors.lessons_of(module):
        with zeal_context():  # each lesson is done in requests of its own
            answer_lesson_check(user, lesson)
            services.lesson_complete(user=user, lesson=lesson, module=module)


def _answer(user, lesson, positions, round_number=None):
    block_id = _check_id(lesson)
    if round_number is None:
        round_number = selectors_checks.lesson_checks_shown(user, lesson)[block_id].round
    return services.check_answer(
        user=user,
        lesson=lesson,
        block_id=block_id,
        round_number=round_number,
        positions=positions,
    )


def test_every_attempt_is_kept_and_marked():
    user = UserFactory()
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    first = selectors_checks.lesson_checks_shown(user, lesson)[_check_id(lesson)]
    wrong_position = first.order.index(1)  # "A wrong answer", wherever it was shown
    wrong = _answer(user, lesson, [wrong_position])
    right = answer_lesson_check(user, lesson)
    assert (wrong.correct, right.correct) == (False, True)
    assert wrong.feedback == [("A wrong answer", False, "No, look again.")]
    attempts = list(CheckAttempt.objects.filter(user=user, lesson=lesson).order_by("pk"))
    assert [a.round for a in attempts] == [0, 1]
    assert attempts[0].order == first.order and attempts[0].selected == [1]
    assert sorted(attempts[1].order) == [0, 1, 2]
    assert selectors_checks.latest_attempts(user, lesson)[_check_id(lesson)].correct is True


def test_multiple_answer_needs_every_right_option():
    user = UserFactory()
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    lesson.body = [check_block("Several?", kind="multiple")]
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    order = selectors_checks.lesson_checks_shown(user, lesson)[_check_id(lesson)].order
    assert _answer(user, lesson, [order.index(0)]).correct is False
    order = selectors_checks.lesson_checks_shown(user, lesson)[_check_id(lesson)].order
    assert _answer(user, lesson, [order.index(0), order.index(2)]).correct is True


@pytest.mark.parametrize(
    ("positions", "round_number"), [([], 0), ([7], 0), ([-1], 0), ([0, 1], 0), ([0], 1)]
)
def test_bad_answers_are_refused_with_a_sentence(positions, round_number):
    """Nothing chosen, a position that was not shown, two answers to a one-answer question, or
    a round that has not been shown yet."""
    user = UserFactory()
    lesson = selectors.lessons_of(make_module(lessons=1))[0]
    with pytest.raises(ValidationError):
        _answer(user, lesson, positions, round_number)
    assert not CheckAttempt.objects.exists()


def test_unknown_check_is_refused():
    lesson = selectors.lessons_of(make_module(lessons=1))[0]
    with pytest.raises(PermissionDenied):
        services.check_answer(
            user=UserFactory(), lesson=lesson, block_id="nope", round_number=0, positions=[0]
        )


def test_lesson_needs_its_checks_answered_before_completion():
    user = UserFactory()
    module = make_module(lessons=2)
    lesson = selectors.lessons_of(module)[0]
    with pytest.raises(ValidationError, match="Answer the knowledge check"):
        services.lesson_complete(user=user, lesson=lesson, module=module)
    answer_lesson_check(user, lesson, right=False)
    services.lesson_complete(user=user, lesson=lesson, module=module)
    services.lesson_complete(user=user, lesson=lesson, module=module)  # idempotent
    assert LessonCompletion.objects.filter(user=user, module=module).count() == 1


def test_module_completes_after_lessons_and_a_pass(django_capture_on_commit_callbacks):
    user = UserFactory()
    module = make_module(lessons=3)
    _complete_lessons(user, module)
    enrolment = Enrolment.objects.get(user=user, module=module)
    assert enrolment.completed_at is None  # the end-of-module check is still to do
    failed = answer_module_check(user, module, right=False)
    assert (failed.score, failed.passed, failed.round) == (0, False, 0)
    with django_capture_on_commit_callbacks(execute=True):
        passed = answer_module_check(user, module)
    assert (passed.score, passed.passed, passed.round) == (100, True, 1)
    assert {q["id"] for q in passed.questions} == {b.id for b in module.final_check}
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert ModuleCheckAttempt.objects.filter(user=user, module=module).count() == 2
    assert AuditEvent.objects.filter(action="module.completed", actor=user).count() == 1
    assert user.certificates.filter(module=module).count() == 1


def test_module_check_needs_every_answer():
    user = UserFactory()
    module = make_module(lessons=1)
    paper = selectors_checks.module_check_paper(user, module)
    first = paper.questions[0]
    with pytest.raises(ValidationError) as excinfo:
        services.module_check_submit(
            user=user, module=module, round_number=0, answers={first.block_id: [0]}
        )
    assert len(excinfo.value.message_dict) == 1
    assert not ModuleCheckAttempt.objects.exists()


def test_module_without_final_check_completes_with_its_lessons():
    user = UserFactory()
    module = make_module(lessons=2, final_check=False)
    _complete_lessons(user, module)
    assert Enrolment.objects.get(user=user, module=module).completed_at is not None


def test_confidence_before_and_after():
    user = UserFactory()
    module = make_module(lessons=1, final_check=False)
    outcomes = list(module.learning_outcomes.all())
    services.enrolment_start(user=user, module=module)
    services.confidence_record(
        user=user, module=module, phase="before", ratings={o.pk: 2 for o in outcomes}
    )
    with pytest.raises(ValidationError, match="once you have completed"):
        services.confidence_record(
            user=user, module=module, phase="after", ratings={outcomes[0].pk: 4}
        )
    _complete_lessons(user, module)
    services.confidence_record(
        user=user, module=module, phase="after", ratings={o.pk: 4 for o in outcomes}
    )
    services.confidence_record(
        user=user, module=module, phase="after", ratings={o.pk: 5 for o in outcomes}
    )
    assert ConfidenceRating.objects.filter(user=user, phase="after").count() == len(outcomes)
    assert set(
        ConfidenceRating.objects.filter(user=user, phase="after").values_list("rating", flat=True)
    ) == {5}
    with pytest.raises(ValidationError):
        services.confidence_record(
            user=user, module=module, phase="before", ratings={outcomes[0].pk: 9}
        )
    other = make_module(lessons=1)
    with pytest.raises(PermissionDenied):
        services.confidence_record(
            user=user,
            module=module,
            phase="before",
            ratings={other.learning_outcomes.first().pk: 3},
        )


def test_anonymous_cannot_record_progress():
    from django.contrib.auth.models import AnonymousUser

    module = make_module(lessons=1)
    with pytest.raises(PermissionDenied):
        services.enrolment_start(user=AnonymousUser(), module=module)


# --- views ---------------------------------------------------------------------------------


def test_public_catalogue_module_and_lesson(client, django_assert_num_queries):
    module = make_module(lessons=2)
    lesson = selectors.lessons_of(module)[0]
    for url in ("/modules/", module.url, lesson.url):
        client.get(url)  # warm caches
    with django_assert_num_queries(4):  # catalogue page, modules, topics, prerequisites
        catalogue = client.get("/modules/")
    # The live module and its lessons are kept per process once read.
    with django_assert_num_queries(2):  # outcomes, prerequisites
        module_page = client.get(module.url)
    with django_assert_num_queries(0):
        lesson_page = client.get(lesson.url)
    assert module.title in catalogue.content.decode()
    assert "What you will learn" in module_page.content.decode()
    body = lesson_page.content.decode()
    assert "Teaching text about topic" in body
    assert "Sign in to answer and see feedback." in body


def test_public_content_can_require_sign_in(client, settings):
    settings.HOPE_PUBLIC_CONTENT = False
    module = make_module(lessons=1)
    for url in ("/modules/", module.url, selectors.lessons_of(module)[0].url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("modules_count", [10, pytest.param(100, marks=pytest.mark.slow)])
def test_catalogue_query_count_does_not_grow(client, modules_count, django_assert_num_queries):
    user = UserFactory()
    modules = [make_module(lessons=1, final_check=False) for _ in range(modules_count)]
    for module in modules[:5]:
        with zeal_context():  # each enrolment is a request of its own
            services.enrolment_start(user=user, module=module)
    client.force_login(user)
    client.get("/modules/")
    # catalogue page, modules, topics and prerequisites (prefetches), enrolments, completions
    # (roles come from the cache; lesson counts are kept per process once read)
    with django_assert_num_queries(6):
        response = client.get("/modules/")
    assert response.content.decode().count("In progress: 0%") == 5


def test_catalogue_filters_and_search(client):
    from modules.models import Topic

    justice = Topic.objects.create(name="Family justice", slug="family-justice")
    short = make_module(lessons=1, title="Care proceedings explained", minutes=20, topic=justice)
    long = make_module(lessons=1, title="Looking after yourself", minutes=90)
    body = client.get("/modules/", {"topic": "family-justice"}).content.decode()
    assert short.title in body and long.title not in body
    body = client.get("/modules/", {"length": "long"}).content.decode()
    assert long.title in body and short.title not in body
    body = client.get("/modules/", {"q": "proceedings"}).content.decode()
    assert short.title in body and long.title not in body
    body = client.get("/modules/", {"q": "Teaching text"}).content.decode()
    assert "Lessons that match" in body


def test_catalogue_search_keeps_the_closest_modules_and_says_so(client, monkeypatch):
    """A search loads at most SEARCH_LIMIT module ids (a common word would otherwise load every
    module on the platform), and tells the person to narrow it when more match."""
    from modules.pages import views as catalogue

    monkeypatch.setattr(catalogue, "SEARCH_LIMIT", 2)
    for n in range(2):
        make_module(lessons=0, title=f"Grief and loss {n}")
    body = client.get("/modules/", {"q": "grief"}).content.decode()
    assert body.count("Grief and loss") == 2 and "only the closest 2 are shown" not in body
    make_module(lessons=0, title="Grief and loss 2")
    body = client.get("/modules/", {"q": "grief"}).content.decode()
    assert body.count("Grief and loss") == 2
    assert "More than 2 modules match your search, so only the closest 2 are shown." in body
    # The length filter's labels go through gettext (lazily), and show as written in English.
    from django.utils.functional import Promise

    assert all(isinstance(label, Promise) for label, _low, _high in catalogue.LENGTHS.values())
    assert "Under 30 minutes" in client.get("/modules/").content.decode()


def test_signed_in_lesson_page_records_where_you_are(client, django_assert_num_queries):
    user = UserFactory()
    module = make_module(lessons=3)
    lesson = selectors.lessons_of(module)[1]
    client.force_login(user)
    client.get(lesson.url)
    enrolment = Enrolment.objects.get(user=user, module=module)
    assert enrolment.last_lesson_id == lesson.pk
    # attempts, enrolment, completions, journal marker (the module and its lessons are
    # kept per process once read)
    with django_assert_num_queries(4):
        response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Mark this lesson as complete" in response.content.decode()


def test_module_page_signed_in(client, django_assert_num_queries):
    user = UserFactory()
    module = make_module(lessons=3)
    services.enrolment_start(user=user, module=module)
    client.force_login(user)
    client.get(module.url)
    # enrolment, completions, outcomes, prerequisites (the module and its lessons are
    # kept per process once read)
    with django_assert_num_queries(4):
        response = client.get(module.url)
    body = response.content.decode()
    assert "0 of 3 lessons complete" in body
    assert "Continue where you left off" in body


def test_knowledge_check_without_and_with_javascript(client):
    user = UserFactory()
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    client.force_login(user)
    url = reverse(
        "lesson_check_answer", kwargs={"lesson_id": lesson.pk, "block_id": _check_id(lesson)}
    )
    order = selectors_checks.lesson_checks_shown(user, lesson)[_check_id(lesson)].order
    response = client.post(url, {"answer": str(order.index(1)), "round": "0"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#check-{_check_id(lesson)}")
    page = client.get(lesson.url).content.decode()
    assert "Not quite. Have another look and try again." in page
    assert 'name="round" value="1"' in page
    order = selectors_checks.lesson_checks_shown(user, lesson)[_check_id(lesson)].order
    fragment = client.post(
        url, {"answer": str(order.index(0)), "round": "1"}, headers={"X-Hope-Fragment": "1"}
    )
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert text.lstrip().startswith("<section")
    assert "That&#x27;s right." in text or "That's right." in text
    empty = client.post(url, {"round": "2"}, headers={"X-Hope-Fragment": "1"})
    assert empty.status_code == 400
    assert "Choose an answer" in empty.content.decode()


def test_mark_complete_without_and_with_javascript(client):
    user = UserFactory()
    module = make_module(lessons=2)
    first, second = selectors.lessons_of(module)
    client.force_login(user)
    complete = reverse("lesson_complete", kwargs={"lesson_id": first.pk})
    refused = client.post(complete)
    assert refused.status_code == 302 and refused["Location"] == first.url
    answer_lesson_check(user, first)
    done = client.post(complete)
    assert done["Location"] == second.url
    answer_lesson_check(user, second)
    fragment = client.post(
        reverse("lesson_complete", kwargs={"lesson_id": second.pk}),
        headers={"X-Hope-Fragment": "1"},
    )
    assert fragment.status_code == 200
    assert "You have completed this lesson." in fragment.content.decode()


def test_start_page_records_confidence_and_preference(client):
    user = UserFactory()
    module = make_module(lessons=2, content_note="This module talks about separation.")
    outcome = module.learning_outcomes.first()
    client.force_login(user)
    start = reverse("module_start", kwargs={"module_id": module.pk})
    page = client.get(start).content.decode()
    assert "This module talks about separation." in page
    bad = client.post(start, {f"outcome-{outcome.pk}": "9"})
    assert bad.status_code == 400
    assert "Choose how confident you feel" in bad.content.decode()
    response = client.post(start, {f"outcome-{outcome.pk}": "3", "always_show_content_notes": "on"})
    assert response["Location"] == selectors.lessons_of(module)[0].url
    assert ConfidenceRating.objects.get(user=user, outcome=outcome, phase="before").rating == 3
    user.refresh_from_db()
    assert user.always_show_content_notes is True


def test_lesson_content_note_is_shown_first(client):
    module = make_module(lessons=1, lesson_note="This lesson describes a birth.")
    lesson = selectors.lessons_of(module)[0]
    first = client.get(lesson.url).content.decode()
    assert "This lesson describes a birth." in first
    assert "Continue to the lesson" in first
    assert "Teaching text" not in first
    assert "Teaching text" in client.get(lesson.url + "?continue=1").content.decode()
    assert "Teaching text" in client.get(lesson.url).content.decode()  # remembered


def test_end_of_module_check_page(client):
    user = UserFactory()
    module = make_module(lessons=1)
    _complete_lessons(user, module)
    client.force_login(user)
    url = reverse("module_check", kwargs={"module_id": module.pk})
    assert "End-of-module check" in client.get(url).content.decode()
    paper = selectors_checks.module_check_paper(user, module)
    first = paper.questions[0].block_id
    missing = client.post(url, {f"q-{first}": "2", "round": "0"})
    assert missing.status_code == 400
    assert "Question 2: answer this question." in missing.content.decode()
    assert 'value="2" checked' in missing.content.decode()
    wrongs = module_check_answers(paper, right=False)
    wrong = client.post(url, {"round": "0", **{f"q-{k}": v for k, v in wrongs.items()}})
    attempt = ModuleCheckAttempt.objects.get(user=user, module=module)
    review = reverse("module_check_review", args=[module.pk, attempt.pk])
    assert wrong["Location"] == review
    assert "You scored 0%" in client.get(review).content.decode()
    paper = selectors_checks.module_check_paper(user, module)
    answers = {f"q-{k}": v for k, v in module_check_answers(paper).items()}
    stale = client.post(url, {"round": "0", **answers})  # the first round again
    assert stale["Location"] == url
    right = client.post(url, {"round": "1", **answers})
    assert right.status_code == 302
    assert Enrolment.objects.get(user=user, module=module).completed_at is not None


def test_my_learning_lists_progress(client, django_assert_max_num_queries):
    user = UserFactory()
    started = make_module(lessons=2)
    services.enrolment_start(user=user, module=started)
    finished = make_module(lessons=1, final_check=False)
    _complete_lessons(user, finished)
    client.force_login(user)
    client.get(reverse("my_learning"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("my_learning"))
    body = response.content.decode()
    assert "0 of 2 lessons complete" in body
    assert finished.title in body


def test_scheduled_publishing_runs_from_the_beat_task(settings):
    """The beat schedule runs Wagtail's publish_scheduled; a page due to go live does."""
    import datetime

    import time_machine
    from django.utils import timezone

    from modules.tasks import publish_scheduled_pages

    assert "publish-scheduled-pages" in settings.CELERY_BEAT_SCHEDULE
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    lesson.title = "A scheduled new title"
    revision = lesson.save_revision()
    revision.approved_go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision.save()
    publish_scheduled_pages.delay()
    assert LessonPage.objects.get(pk=lesson.pk).title != "A scheduled new title"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        publish_scheduled_pages.delay()
    assert LessonPage.objects.get(pk=lesson.pk).title == "A scheduled new title"


def test_editors_preview_lessons_and_modules():
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    for page in (module, lesson):
        response = page.make_preview_request()
        assert response.status_code == 200
        assert page.title in response.content.decode()


def test_the_module_page_shows_who_owns_it_and_when_it_is_reviewed(client):
    import datetime

    module = make_module(lessons=1)
    module.content_owner = "Clinical content group"
    module.last_reviewed_date = datetime.date(2026, 12, 2)
    module.next_review_date = datetime.date(2027, 12, 2)
    module.version = "2.0"
    module.version_note = "Adds the law in Wales and a lesson on family time."
    module.save_revision().publish()
    body = client.get(module.url).content.decode()
    assert "About this module" in body
    for text in (
        "Clinical content group",
        "2 December 2026",
        "2 December 2027",
        "2.0",
        "Adds the law in Wales and a lesson on family time.",
    ):
        assert text in body
