"""Finishing a module: "mark complete" answers JavaScript with the page's new progress, the last
lesson leads to the end-of-module check, passing it leads to the "module complete" page (the
certificate, the change in confidence, a module to try next), and "Your certificate" is the
certificate itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from modules.models import Certificate
from modules.progress import selectors, selectors_checks, services

from .factories import UserFactory
from .module_factories import (
    answer_lesson_check,
    complete_module,
    make_module,
    module_check_answers,
)

pytestmark = pytest.mark.django_db

JS = {"X-Hope-Fragment": "1"}


def test_marking_complete_with_javascript_answers_with_the_progress(client):
    user = UserFactory()
    module = make_module(lessons=3)
    first, second, _third = selectors.lessons_of(module)
    client.force_login(user)
    answer_lesson_check(user, first)
    response = client.post(reverse("lesson_complete", args=[first.pk]), headers=JS)
    assert response.status_code == 200
    data = response.json()
    assert data["complete"] is True
    assert (data["done"], data["total"], data["percent"]) == (1, 3, 33)
    assert data["label"] == "1 of 3 lessons complete"
    assert data["done_lessons"] == [first.pk]
    assert "You have completed this lesson." in data["html"]
    assert f'href="{second.url}"' in data["html"]

    refused = client.post(reverse("lesson_complete", args=[second.pk]), headers=JS)
    assert refused.status_code == 400
    assert refused.json()["complete"] is False
    assert refused.json()["done"] == 1
    assert "Answer the knowledge check" in refused.json()["html"]


def test_the_lesson_page_shows_ticks_and_the_count(client):
    user = UserFactory()
    module = make_module(lessons=2)
    first, second = selectors.lessons_of(module)
    answer_lesson_check(user, first)
    services.lesson_complete(user=user, lesson=first, module=module)
    client.force_login(user)
    body = client.get(second.url).content.decode()
    assert "1 of 2 lessons complete" in body
    assert f'data-lesson-id="{first.pk}"' in body
    item = body.split(f'data-lesson-id="{first.pk}"')[1].split("</li>")[0]
    assert "hope-lesson-nav__tick" in item
    item = body.split(f'data-lesson-id="{second.pk}"')[1].split("</li>")[0]
    assert "hope-lesson-nav__tick" not in item
    assert 'id="lesson-tick"' in body  # what the script copies for a newly completed lesson


def test_the_last_lesson_offers_the_end_of_module_check(client):
    user = UserFactory()
    module = make_module(lessons=2)
    first, last = selectors.lessons_of(module)
    client.force_login(user)
    check = reverse("module_check", args=[module.pk])
    for lesson in (first, last):
        answer_lesson_check(user, lesson)
    client.post(reverse("lesson_complete", args=[first.pk]))
    data = client.post(reverse("lesson_complete", args=[last.pk]), headers=JS).json()
    assert f'href="{check}"' in data["html"]
    assert "Take the end-of-module check" in data["html"]
    assert "Back to the module" not in data["html"]
    body = client.get(last.url).content.decode()
    assert f'href="{check}"' in body and "Back to the module" not in body
    # Without JavaScript, completing the last lesson goes on to the check.
    other = make_module(lessons=1)
    only = selectors.lessons_of(other)[0]
    answer_lesson_check(user, only)
    response = client.post(reverse("lesson_complete", args=[only.pk]))
    assert response["Location"] == reverse("module_check", args=[other.pk])


def test_a_module_without_a_check_goes_to_the_module_complete_page(client):
    user = UserFactory()
    module = make_module(lessons=1, final_check=False)
    lesson = selectors.lessons_of(module)[0]
    answer_lesson_check(user, lesson)
    client.force_login(user)
    response = client.post(reverse("lesson_complete", args=[lesson.pk]))
    assert response["Location"] == reverse("module_complete", args=[module.pk])


def test_passing_the_check_leads_to_the_module_complete_page(client):
    user = UserFactory()
    module = make_module(lessons=1, outcomes=2)
    lesson = selectors.lessons_of(module)[0]
    outcomes = [o.pk for o in module.learning_outcomes.all()]
    services.enrolment_start(user=user, module=module)
    services.confidence_record(
        user=user, module=module, phase="before", ratings={outcomes[0]: 2, outcomes[1]: 3}
    )
    answer_lesson_check(user, lesson)
    services.lesson_complete(user=user, lesson=lesson, module=module)
    later = make_module(lessons=1, title="What comes next")
    client.force_login(user)
    paper = selectors_checks.module_check_paper(user, module)
    answers = module_check_answers(paper)
    response = client.post(
        reverse("module_check", args=[module.pk]),
        {"round": paper.round, **{f"q-{k}": v for k, v in answers.items()}},
    )
    complete = reverse("module_complete", args=[module.pk])
    assert response["Location"] == complete
    certificate = Certificate.objects.get(user=user, module=module)

    body = client.get(complete).content.decode()
    assert "Module complete" in body
    assert reverse("certificate_download", args=[certificate.code]) in body
    assert "2 out of 5" in body and "3 out of 5" in body and "Not rated" in body
    assert later.url in body and "What comes next" in body
    # The module's own page: "Your certificate" is the certificate, not "My learning".
    page = client.get(module.url).content.decode()
    mine = page.split("Your certificate")[0].rsplit("<a ", 1)[1]
    assert reverse("certificate_download", args=[certificate.code]) in mine


def test_the_suggestion_skips_finished_modules_and_wraps_round():
    user = UserFactory()
    first = make_module(lessons=1)
    second = make_module(lessons=1)
    third = make_module(lessons=1)
    complete_module(user, third)
    assert selectors.suggested_next_module(user, first) == second
    complete_module(user, second)
    assert selectors.suggested_next_module(user, third) == first
    complete_module(user, first)
    assert selectors.suggested_next_module(user, first) is None


def test_the_module_complete_page_is_for_those_who_finished(client):
    user, other = UserFactory(), UserFactory()
    module = complete_module(user, make_module(lessons=1))
    url = reverse("module_complete", args=[module.pk])
    client.force_login(other)
    assert client.get(url)["Location"] == module.url
    client.force_login(user)
    assert client.get(url).status_code == 200


def test_the_certificate_notice_links_to_the_module_complete_page():
    from learning.models import Notification
    from modules.certificates.services import certificate_ready_notify

    user = UserFactory()
    module = complete_module(user, make_module(lessons=1))
    certificate = Certificate.objects.get(user=user, module=module)
    assert certificate_ready_notify(certificate=certificate)
    notice = Notification.objects.get(recipient=user, kind="certificate.ready")
    assert notice.url == reverse("module_complete", args=[module.pk])
    assert certificate.code not in notice.url
