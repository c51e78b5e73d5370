"""The revalidation task list per register, the practice-related feedback log (identifier-
guarded, the owner's only) and the declaration of what the platform cannot count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import AuditEvent
from learning.privacy import handlers
from learning.privacy.core import _profile
from reflection.portfolio.models import PracticeFeedback
from reflection.portfolio.revalidation import revalidation_task_list

from .factories import UserFactory
from .portfolio_factories import make_external_cpd, make_feedback

pytestmark = pytest.mark.django_db


def _nmc_user(**kw):
    return UserFactory(
        professional_register="nmc",
        registration_number="12A3456E",
        registration_renewal_on=date(2027, 3, 31),
        **kw,
    )


def _statuses(user) -> dict[str, str]:
    return {t.key: t.status for t in revalidation_task_list(user).tasks}


def test_the_nmc_task_list_shows_what_is_left():
    user = _nmc_user()
    statuses = _statuses(user)
    assert list(statuses) == [
        "cpd",
        "participatory",
        "practice",
        "feedback",
        "accounts",
        "discussion",
        "health",
        "indemnity",
        "confirmation",
    ]
    assert set(statuses.values()) == {"not_started"}

    make_external_cpd(user, minutes=21 * 60, participatory=True)
    make_external_cpd(user, title="Reading", minutes=14 * 60, participatory=False)
    for _n in range(5):
        make_feedback(user)
    make_feedback(user, received_on=timezone.localdate() - timedelta(days=4 * 365))  # too old
    user.practice_hours = 200
    user.reflective_discussion_on = timezone.localdate()
    statuses = _statuses(user)
    assert statuses["cpd"] == "completed"
    assert statuses["participatory"] == "completed"
    assert statuses["feedback"] == "completed"
    assert statuses["practice"] == "in_progress"
    assert statuses["discussion"] == "completed"
    assert statuses["confirmation"] == "not_started"


def test_the_task_list_page_shows_the_due_date_and_statuses(client):
    user = _nmc_user()
    make_feedback(user)
    client.force_login(user)
    page = client.get(reverse("portfolio_home")).content.decode()
    assert "Your revalidation or renewal is due on 31 March 2027." in page
    assert "nhsuk-task-list" in page
    assert "You have 1 in the last 3 years." in page
    assert "In progress" in page


def test_social_care_wales_counts_training_and_learning():
    user = UserFactory(professional_register="scw", registration_number="ABC12345")
    make_external_cpd(user, minutes=90 * 60)
    (task,) = revalidation_task_list(user).tasks
    assert task.key == "prtl"
    assert task.status == "completed"


def test_no_register_has_no_tasks(client):
    user = UserFactory()
    assert revalidation_task_list(user).tasks == []
    client.force_login(user)
    assert "Choose your register" in client.get(reverse("portfolio_home")).content.decode()


def test_feedback_is_guarded_and_audited(client):
    user = _nmc_user()
    client.force_login(user)
    when = timezone.localdate() - timedelta(days=2)
    data = {
        "received_on_day": str(when.day),
        "received_on_month": str(when.month),
        "received_on_year": str(when.year),
        "source": "people",
        "summary": "Mrs Jones thanked me for <i>listening</i>.",
        "learnt": "Time to listen matters.",
    }
    response = client.post(reverse("feedback_new"), data)
    assert response.status_code == 400
    assert not PracticeFeedback.objects.exists()
    response = client.post(reverse("feedback_new"), {**data, "confirm_identifiers": "on"})
    assert response.status_code == 302
    item = PracticeFeedback.objects.get(owner=user)
    assert item.summary == "Mrs Jones thanked me for listening."
    event = AuditEvent.objects.get(action="portfolio.feedback_added")
    assert "Jones" not in str(event.data)
    assert "Time to listen" in client.get(reverse("feedback_list")).content.decode()


def test_feedback_is_the_owners_only(client):
    item = make_feedback(UserFactory())
    client.force_login(UserFactory())
    assert client.get(reverse("feedback_delete", args=[item.pk])).status_code == 404
    assert client.post(reverse("feedback_delete", args=[item.pk])).status_code == 404
    assert "handover" not in client.get(reverse("feedback_list")).content.decode()
    assert PracticeFeedback.objects.filter(pk=item.pk).exists()


def test_the_declaration_is_saved_and_refuses_future_dates(client):
    user = _nmc_user()
    client.force_login(user)
    future = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("revalidation_declaration"),
        {
            "practice_hours": "460",
            "confirmation_on_day": str(future.day),
            "confirmation_on_month": str(future.month),
            "confirmation_on_year": str(future.year),
        },
    )
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    response = client.post(reverse("revalidation_declaration"), {"practice_hours": "460"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.practice_hours == 460
    assert _statuses(user)["practice"] == "completed"
    assert AuditEvent.objects.filter(action="account.revalidation_declared").count() == 1


def test_privacy_covers_feedback_and_the_declaration():
    user = _nmc_user(practice_hours=10)
    make_feedback(user)
    handler = {h.label: h for h in handlers()}["reflection.practicefeedback"]
    assert handler.export(user)[0]["source"] == "colleagues"
    handler.erase(user)
    assert not PracticeFeedback.objects.filter(owner=user).exists()
    assert _profile(user)[0]["practice_hours"] == 10
