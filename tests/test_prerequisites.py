"""Prerequisites: shown on the module page and in the catalogue; "recommended first" never stops
anyone, "required first" stops starting the module (in the service, whatever the page shows)
until every prerequisite is complete."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from learning import permissions
from modules.models import Enrolment, ModulePage, PrerequisiteRule
from modules.progress import selectors, selectors_checks, services

from .factories import UserFactory
from .module_factories import answer_lesson_check, make_module

pytestmark = pytest.mark.django_db


def _with_prerequisites(module: ModulePage, *before: ModulePage, rule: str) -> ModulePage:
    module.prerequisites.set(before)
    module.prerequisite_rule = rule
    module.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk)


def _complete(user, module: ModulePage) -> None:
    Enrolment.objects.update_or_create(
        user=user, module=module, defaults={"completed_at": "2026-01-05T10:00:00Z"}
    )


# --- the rule -----------------------------------------------------------------------------


def test_the_rulebook_stops_only_required_and_outstanding():
    user = UserFactory()
    first, second = make_module(lessons=1), make_module(lessons=1)
    recommended = _with_prerequisites(
        make_module(lessons=1), first, second, rule=PrerequisiteRule.RECOMMENDED
    )
    required = _with_prerequisites(
        make_module(lessons=1), first, second, rule=PrerequisiteRule.REQUIRED
    )
    outstanding = selectors.prerequisites_for(user, required)
    assert [p.module.pk for p in outstanding] == [first.pk, second.pk]
    assert not any(p.is_completed for p in outstanding)
    assert permissions.can_start_module(user, recommended, outstanding)
    assert not permissions.can_start_module(user, required, outstanding)
    assert permissions.can_start_module(user, required, outstanding, started=True)
    assert not permissions.can_start_module(AnonymousUser(), recommended, [])
    _complete(user, first)
    partly = selectors.prerequisites_for(user, required)
    assert [p.is_completed for p in partly] == [True, False]
    assert not permissions.can_start_module(user, required, partly)
    _complete(user, second)
    assert permissions.can_start_module(user, required, selectors.prerequisites_for(user, required))


def test_a_prerequisite_that_is_not_live_is_not_asked_for():
    user = UserFactory()
    gone = make_module(lessons=1)
    required = _with_prerequisites(make_module(lessons=1), gone, rule=PrerequisiteRule.REQUIRED)
    gone.unpublish()
    assert selectors.prerequisites_for(user, required) == []
    services.enrolment_start(user=user, module=required)


# --- the services -------------------------------------------------------------------------


def test_starting_waits_for_required_prerequisites():
    user = UserFactory()
    first = make_module(lessons=1, title="Trauma-informed care")
    module = _with_prerequisites(make_module(lessons=1), first, rule=PrerequisiteRule.REQUIRED)
    with pytest.raises(services.PrerequisitesOutstanding) as refused:
        services.enrolment_start(user=user, module=module)
    assert refused.value.outstanding == [first]
    assert "Complete “Trauma-informed care” before you start this module." in (
        refused.value.messages
    )
    assert not Enrolment.objects.filter(user=user, module=module).exists()
    _complete(user, first)
    assert services.enrolment_start(user=user, module=module).module_id == module.pk


def test_recommended_prerequisites_never_stop_anyone():
    user = UserFactory()
    module = _with_prerequisites(
        make_module(lessons=1), make_module(lessons=1), rule=PrerequisiteRule.RECOMMENDED
    )
    assert services.enrolment_start(user=user, module=module).module_id == module.pk


def test_no_other_way_in_while_prerequisites_are_outstanding():
    """Reading a lesson does not enrol, and completing a lesson or taking the end-of-module
    check is refused with the same explanation."""
    user = UserFactory()
    module = _with_prerequisites(
        make_module(lessons=1), make_module(lessons=1), rule=PrerequisiteRule.REQUIRED
    )
    lesson = selectors.lessons_of(module)[0]
    assert services.enrolment_note_lesson(user=user, module=module, lesson=lesson) is None
    answer_lesson_check(user, lesson)
    with pytest.raises(services.PrerequisitesOutstanding):
        services.lesson_complete(user=user, lesson=lesson, module=module)
    paper = selectors_checks.module_check_paper(user, module)
    with pytest.raises(services.PrerequisitesOutstanding):
        services.module_check_submit(user=user, module=module, round_number=paper.round, answers={})
    assert not Enrolment.objects.filter(user=user, module=module).exists()


def test_someone_already_started_carries_on_when_prerequisites_become_required():
    user = UserFactory()
    module = make_module(lessons=1)
    services.enrolment_start(user=user, module=module)
    module = _with_prerequisites(module, make_module(lessons=1), rule=PrerequisiteRule.REQUIRED)
    lesson = selectors.lessons_of(module)[0]
    answer_lesson_check(user, lesson)
    services.lesson_complete(user=user, lesson=lesson, module=module)


# --- the pages ----------------------------------------------------------------------------


def test_module_page_shows_prerequisites_and_whether_you_may_start(client):
    user = UserFactory()
    first = make_module(lessons=1, title="Trauma-informed care")
    module = _with_prerequisites(make_module(lessons=1), first, rule=PrerequisiteRule.REQUIRED)
    body = client.get(module.url).content.decode()
    assert "Required first" in body and "Trauma-informed care" in body
    client.force_login(user)
    body = client.get(module.url).content.decode()
    assert "Not completed" in body
    assert reverse("module_start", kwargs={"module_id": module.pk}) not in body
    assert "See the modules to complete first" in body
    _complete(user, first)
    body = client.get(module.url).content.decode()
    assert reverse("module_start", kwargs={"module_id": module.pk}) in body
    assert "Completed" in body and "See the modules to complete first" not in body


def test_recommended_prerequisites_are_shown_and_start_stays_open(client):
    client.force_login(UserFactory())
    module = _with_prerequisites(
        make_module(lessons=1),
        make_module(lessons=1, title="Separation at birth"),
        rule=PrerequisiteRule.RECOMMENDED,
    )
    body = client.get(module.url).content.decode()
    assert "Recommended first" in body and "Separation at birth" in body
    assert reverse("module_start", kwargs={"module_id": module.pk}) in body


def test_start_page_explains_and_links_while_prerequisites_are_outstanding(client):
    user = UserFactory()
    first = make_module(lessons=1, title="Trauma-informed care")
    module = _with_prerequisites(make_module(lessons=1), first, rule=PrerequisiteRule.REQUIRED)
    client.force_login(user)
    url = reverse("module_start", kwargs={"module_id": module.pk})
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 403
        body = response.content.decode()
        assert "Complete other modules first" in body
        assert f'href="{first.url}"' in body
    assert not Enrolment.objects.filter(user=user, module=module).exists()
    _complete(user, first)
    assert client.post(url, {}).status_code == 302
    assert Enrolment.objects.filter(user=user, module=module).exists()


def test_lesson_completion_is_refused_with_the_reason(client):
    user = UserFactory()
    module = _with_prerequisites(
        make_module(lessons=1),
        make_module(lessons=1, title="Trauma-informed care"),
        rule=PrerequisiteRule.REQUIRED,
    )
    lesson = selectors.lessons_of(module)[0]
    client.force_login(user)
    assert client.get(lesson.url).status_code == 200
    answer_lesson_check(user, lesson)
    response = client.post(reverse("lesson_complete", kwargs={"lesson_id": lesson.pk}), follow=True)
    assert "Complete “Trauma-informed care” before you start this module." in (
        response.content.decode()
    )
    assert not Enrolment.objects.filter(user=user, module=module).exists()


def test_catalogue_shows_each_modules_prerequisites(client):
    first = make_module(lessons=1, title="Separation at birth")
    _with_prerequisites(
        make_module(lessons=1, title="HOPE Boxes"), first, rule=PrerequisiteRule.REQUIRED
    )
    _with_prerequisites(
        make_module(lessons=1, title="Formulation"), first, rule=PrerequisiteRule.RECOMMENDED
    )
    body = client.get("/modules/").content.decode()
    assert body.count("Required first:") == 1 and body.count("Recommended first:") == 1
    assert body.count(f'href="{first.url}"') >= 3  # its own card and two links to it


def test_editor_form_refuses_a_module_as_its_own_prerequisite():
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    module = make_module(lessons=1)
    data = nested_form_data(
        {
            "title": module.title,
            "slug": module.slug,
            "summary": module.summary,
            "estimated_minutes": 30,
            "cpd_minutes": 30,
            "pass_mark": 50,
            "ask_per_outcome": 1,
            "prerequisite_rule": "required",
            "learning_outcomes": inline_formset([{"text": "An outcome"}]),
            "final_check": streamfield([]),
            "references": streamfield([]),
        }
    )
    data["prerequisites"] = [str(module.pk)]
    form_class = ModulePage.get_edit_handler().get_form_class()
    form = form_class(data, instance=module, for_user=UserFactory(is_superuser=True))
    assert not form.is_valid()
    assert form.errors["prerequisites"] == ["A module cannot be its own prerequisite."]
