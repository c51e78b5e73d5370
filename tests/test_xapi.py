"""Learning records out: learning events become xAPI 1.0.3 statements, queued in the learner's
transaction and sent to a learning record store; never an email address (unless a deployment
opts in), never an answer's text or anything anyone wrote; an unreachable store leaves them
queued with the attempt counted and the next one pushed back."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from learning import privacy
from learning.models import Role, XapiStatement
from learning.xapi import (
    Activity,
    backoff,
    record_learning_event,
    statement_build,
    xapi_statements_send,
    xapi_statements_send_task,
)

from .factories import MembershipFactory, OrganisationFactory, UserFactory
from .lrs import ralph_lrs  # noqa: F401  (the session fixture)
from .module_factories import complete_module, make_module

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def xapi_on(settings):
    settings.HOPE_XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"  # discard port: nothing listens
    settings.HOPE_XAPI_USERNAME = "user"
    settings.HOPE_XAPI_PASSWORD = "secret"
    settings.HOPE_BASE_URL = "https://hope.example"
    settings.HOPE_XAPI_ACTOR_MBOX = False
    return settings


def test_nothing_is_queued_while_no_store_is_configured(settings):
    settings.HOPE_XAPI_ENDPOINT = ""
    user = UserFactory()
    complete_module(user, make_module(lessons=1))
    assert not XapiStatement.objects.exists()


def test_a_statement_names_an_account_never_an_email(xapi_on):
    user = UserFactory(email="learner@example.org")
    statement = statement_build(
        statement_id="00000000-0000-4000-8000-000000000001",
        user=user,
        verb="answered",
        activity=Activity(kind="check", key="12-abc"),
        parent=Activity(kind="lesson", key=12, name="Lesson one"),
        success=False,
    )
    assert statement["actor"]["account"]["homePage"] == "https://hope.example"
    name = statement["actor"]["account"]["name"]
    assert len(name) == 32 and str(user.pk) != name
    assert "example.org" not in json.dumps(statement)
    assert statement["object"]["id"] == "https://hope.example/xapi/activities/check/12-abc"
    assert statement["result"] == {"success": False}
    assert statement["verb"]["id"] == ADL + "answered"
    xapi_on.HOPE_XAPI_ACTOR_MBOX = True
    opted_in = statement_build(
        statement_id="x", user=user, verb="completed", activity=Activity(kind="module", key=1)
    )
    assert opted_in["actor"] == {"objectType": "Agent", "mbox": "mailto:learner@example.org"}


def test_completing_a_module_queues_its_events(xapi_on):
    user = UserFactory()
    module = complete_module(user, make_module(lessons=2, title="Separation at birth"))
    rows = list(XapiStatement.objects.filter(user=user).order_by("created_at"))
    verbs = [(r.verb, r.statement["object"]["id"].rsplit("/", 2)[-2]) for r in rows]
    assert verbs[0] == ("attempted", "module")
    assert verbs.count(("completed", "lesson")) == 2
    assert verbs.count(("answered", "check")) == 2
    assert ("completed", "assessment") in verbs
    assert ("completed", "module") in verbs and ("earned", "certificate") in verbs
    check = next(r for r in rows if r.verb == "answered")
    assert set(check.statement["result"]) == {"success"}
    text = json.dumps([r.statement for r in rows])
    assert user.email not in text
    assert "Lesson 1 question?" not in text and "Option" not in text
    assert f"/xapi/activities/module/{module.pk}" in text
    assert {r.status for r in rows} == {"pending"}


def test_an_unreachable_store_leaves_statements_queued_with_backoff(xapi_on):
    user = UserFactory()
    record_learning_event(user=user, verb="attempted", activity=Activity(kind="module", key=1))
    before = timezone.now()
    assert xapi_statements_send() == 0
    row = XapiStatement.objects.get()
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at >= before + timedelta(seconds=29)
    # Not due yet: nothing is tried.
    assert xapi_statements_send() == 0
    row.refresh_from_db()
    assert row.attempts == 1
    # Due again: tried again, and the wait doubles.
    xapi_statements_send(now=row.next_attempt_at + timedelta(seconds=1))
    row.refresh_from_db()
    assert row.attempts == 2 and row.status == "pending"
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
    ]
    assert backoff(40) == timedelta(hours=6)


def test_statements_are_personal_data(xapi_on):
    user = UserFactory()
    record_learning_event(user=user, verb="attempted", activity=Activity(kind="module", key=1))
    handler = next(h for h in privacy.handlers() if h.label == "learning.xapistatement")
    assert len(handler.export(user)) == 1
    handler.erase(user)
    assert not XapiStatement.objects.exists()


def test_the_sender_is_scheduled_under_its_stable_name(settings):
    names = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "hope.xapi.statements_send" in names
    assert xapi_statements_send_task.name == "hope.xapi.statements_send"


def test_statements_reach_a_real_learning_record_store(xapi_on, ralph_lrs):  # noqa: F811
    xapi_on.HOPE_XAPI_ENDPOINT = ralph_lrs.endpoint
    xapi_on.HOPE_XAPI_USERNAME = ralph_lrs.username
    xapi_on.HOPE_XAPI_PASSWORD = ralph_lrs.password
    organisation = OrganisationFactory()
    learner = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    module = complete_module(learner, make_module(lessons=1, title="Separation at birth"))
    queued = XapiStatement.objects.filter(user=learner).count()
    assert queued >= 6
    xapi_statements_send_task()
    assert set(XapiStatement.objects.values_list("status", flat=True)) == {"sent"}
    # Sending again (as after a lost worker) stores nothing twice.
    XapiStatement.objects.update(status="pending", sent_at=None, next_attempt_at=timezone.now())
    xapi_statements_send()
    assert set(XapiStatement.objects.values_list("status", flat=True)) == {"sent"}

    ids = {str(pk) for pk in XapiStatement.objects.values_list("pk", flat=True)}
    stored = [s for s in ralph_lrs.statements(limit=500) if s["id"] in ids]
    assert len(stored) == queued
    verbs = {(s["verb"]["id"], s["object"]["id"]) for s in stored}
    base = "https://hope.example/xapi/activities"
    assert (ADL + "attempted", f"{base}/module/{module.pk}") in verbs
    assert (ADL + "completed", f"{base}/module/{module.pk}") in verbs
    assert any(v == ADL + "completed" and "/lesson/" in o for v, o in verbs)
    assert any(v == ADL + "answered" and "/check/" in o for v, o in verbs)
    assert any(v == "http://id.tincanapi.com/verb/earned" for v, _o in verbs)
    for statement in stored:
        assert "mbox" not in statement["actor"]
        assert statement["actor"]["account"]["homePage"] == "https://hope.example"
        assert set(statement.get("result", {})) <= {"success", "completion", "score"}
    text = json.dumps(stored)
    assert learner.email not in text and "question?" not in text
