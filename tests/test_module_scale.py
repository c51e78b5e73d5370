"""Page costs do not grow with the catalogue: the same pinned query counts with 10 modules × 6
lessons and with 100 × 6."""

from __future__ import annotations

import pytest
from django.urls import reverse
from zeal import zeal_context

from modules.models import LessonPage, ModulePage
from modules.progress import selectors, services

from .factories import UserFactory
from .module_factories import answer_lesson_check, check_block, make_catalogue

pytestmark = pytest.mark.django_db


def _build(modules: int, lessons: int = 6) -> list[ModulePage]:
    """Pages straight into the tree (no revisions), which is all the pages need to serve."""
    catalogue = make_catalogue()
    built = []
    for m in range(modules):
        module = ModulePage(
            title=f"Scale module {m}",
            slug=f"scale-{m}",
            summary="A module.",
            final_check=[check_block("Final?")],
        )
        catalogue.add_child(instance=module)
        for n in range(lessons):
            module.add_child(
                instance=LessonPage(
                    title=f"Lesson {n}",
                    slug=f"lesson-{n}",
                    body=[{"type": "rich_text", "value": "<p>Text.</p>"}, check_block()],
                )
            )
        built.append(module)
    return built


# (page, signed in) -> queries. Public pages stay within 4, signed-in pages within 8.
PINS = {
    # The catalogue and the module page read each module's prerequisites (and, signed in on
    # the module page, which of them the person has completed).
    ("catalogue", False): 4,
    ("catalogue", True): 6,
    # The live module and its lessons are kept per process once read (the module and lesson
    # rows below do not count them).
    ("module", False): 2,
    ("module", True): 4,
    ("lesson", False): 0,
    ("lesson", True): 4,  # 3 + the journal's "you reflected on this" marker
    (
        "my_learning",
        True,
    ): 4,  # enrolments, completions, assignments, certificates (modules and counts are kept)
}


@pytest.mark.parametrize("modules", [10, pytest.param(100, marks=pytest.mark.slow)])
@pytest.mark.parametrize("signed_in", [False, True])
def test_page_costs_are_flat(client, django_assert_num_queries, modules, signed_in):
    built = _build(modules)
    module = ModulePage.objects.get(pk=built[len(built) // 2].pk)
    lessons = selectors.lessons_of(module)
    assert len(lessons) == 6
    lesson = lessons[2]
    urls = {
        "catalogue": reverse("module_catalogue"),
        "module": module.url,
        "lesson": lesson.url,
        "my_learning": reverse("my_learning"),
    }
    if signed_in:
        user = UserFactory()
        for other in built[:8]:
            with zeal_context():  # each enrolment is a request of its own
                services.enrolment_start(user=user, module=other)
        services.enrolment_start(user=user, module=module)
        answer_lesson_check(user, lessons[0])
        services.lesson_complete(user=user, lesson=lessons[0], module=module)
        client.force_login(user)
    for (name, needs_sign_in), pinned in PINS.items():
        if needs_sign_in != signed_in:
            continue
        client.get(urls[name])  # warm the session and role caches
        with django_assert_num_queries(pinned):
            response = client.get(urls[name])
        assert response.status_code == 200, name
        assert pinned <= (8 if signed_in else 4)
