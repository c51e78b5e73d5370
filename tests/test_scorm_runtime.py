"""A learner in a SCORM lesson: the package's files served only to its own sandboxed frame,
under a strict policy; commits saved for the signed-in learner only, resumable, completing
the lesson, recording the score, and never issuing a certificate without the module's own
end-of-module check."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from learning.models import AuditEvent
from modules.models import Certificate, Enrolment, LessonCompletion
from modules.progress import services as progress
from modules.scorm import services
from modules.scorm.links import launch_url, package_file_url
from modules.scorm.models import ScormAttempt

from .factories import UserFactory
from .module_factories import answer_module_check
from .scorm_factories import make_scorm_module, make_scorm_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def scorm_12(admin):
    package = make_scorm_package(admin)
    module, lesson = make_scorm_module(package)
    return package, module, lesson


def _commit(client, lesson, package, cmi, **extra):
    return client.post(
        reverse("scorm_commit", args=[lesson.pk, package.pk]), {"cmi": json.dumps(cmi)}, **extra
    )


def test_a_commit_saves_the_learners_place_and_resumes_it(client, scorm_12):
    package, _module, lesson = scorm_12
    learner = UserFactory()
    client.force_login(learner)
    response = _commit(
        client,
        lesson,
        package,
        {
            "cmi.core.lesson_location": "page-2",
            "cmi.suspend_data": "half way",
            "cmi.core.lesson_status": "incomplete",
            "cmi.core.session_time": "00:01:00",
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "result": "true",
        "errorCode": 0,
        "package_complete": False,
        "complete": False,
    }
    attempt = ScormAttempt.objects.get(user=learner)
    assert (attempt.location, attempt.suspend_data) == ("page-2", "half way")
    with connection.cursor() as cursor:  # suspend data is encrypted at rest
        cursor.execute("SELECT suspend_data FROM modules_scormattempt")
        assert "half way" not in cursor.fetchone()[0]
    assert not LessonCompletion.objects.filter(user=learner).exists()
    page = client.get(lesson.url).content.decode()
    config = json.loads(
        re.search(r'id="scorm-[\d-]+" type="application/json">(.*?)</script>', page).group(1)
    )
    assert config["initial"] == {
        "cmi.core.entry": "resume",
        "cmi.core.lesson_location": "page-2",
        "cmi.suspend_data": "half way",
        "cmi.core.lesson_status": "incomplete",
    }
    assert config["commitUrl"] == reverse("scorm_commit", args=[lesson.pk, package.pk])
    assert config["launch"].startswith(f"/scorm/{package.pk}/")
    assert 'sandbox="allow-scripts allow-forms"' in page
    assert "allow-same-origin" not in page


def test_completing_the_package_completes_the_lesson_but_not_the_certificate(client, scorm_12):
    package, module, lesson = scorm_12
    learner = UserFactory()
    client.force_login(learner)
    response = _commit(
        client,
        lesson,
        package,
        {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "85"},
    )
    assert response.json()["complete"] is True
    attempt = ScormAttempt.objects.get(user=learner)
    assert attempt.completed_at is not None
    assert str(attempt.score_raw) == "85.0000"
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
    assert AuditEvent.objects.filter(action="scorm.completed", actor=learner).exists()
    # Every lesson is complete, but the module's certificate waits for its own check.
    assert Enrolment.objects.get(user=learner, module=module).completed_at is None
    assert not Certificate.objects.filter(user=learner).exists()
    answer_module_check(learner, module)
    assert Certificate.objects.filter(user=learner, module=module).exists()


def test_a_completed_package_stays_complete(client, scorm_12):
    package, _module, lesson = scorm_12
    learner = UserFactory()
    client.force_login(learner)
    _commit(client, lesson, package, {"cmi.core.lesson_status": "passed"})
    _commit(client, lesson, package, {"cmi.core.lesson_status": "incomplete"})
    attempt = ScormAttempt.objects.get(user=learner)
    assert attempt.completed_at is not None
    assert attempt.completion_status == "incomplete"
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()


def test_scorm_2004_completion_and_score(admin):
    package = make_scorm_package(admin, version="2004")
    module, lesson = make_scorm_module(package, final_check=False)
    learner = UserFactory()
    result = services.scorm_commit(
        user=learner,
        lesson=lesson,
        module=module,
        package=package,
        cmi={
            "cmi.location": "p3",
            "cmi.completion_status": "completed",
            "cmi.success_status": "failed",
            "cmi.score.scaled": "0.4",
        },
    )
    assert result.lesson_complete
    attempt = result.attempt
    assert (attempt.success_status, str(attempt.score_scaled)) == ("failed", "0.4000")
    with pytest.raises(ValidationError):
        services.scorm_commit(
            user=learner,
            lesson=lesson,
            module=module,
            package=package,
            cmi={"cmi.score.scaled": "7"},
        )
    with pytest.raises(ValidationError):
        services.scorm_commit(
            user=learner,
            lesson=lesson,
            module=module,
            package=package,
            cmi={"cmi.completion_status": "finished"},
        )


def test_the_lesson_cannot_be_marked_complete_by_hand_before_the_package(scorm_12):
    _package, module, lesson = scorm_12
    learner = UserFactory()
    with pytest.raises(ValidationError, match="Finish the e-learning activity"):
        progress.lesson_complete(user=learner, lesson=lesson, module=module)


def test_commits_are_the_learners_own_and_only_for_a_package_in_that_lesson(
    client, scorm_12, admin
):
    package, module, lesson = scorm_12
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    _commit(client, lesson, package, {"cmi.core.lesson_location": "first's place"})
    client.force_login(second)
    page = client.get(lesson.url).content.decode()
    assert "first&#x27;s place" not in page and "first's place" not in page
    _commit(client, lesson, package, {"cmi.core.lesson_location": "second's place"})
    places = dict(ScormAttempt.objects.values_list("user_id", "location"))
    assert places == {first.pk: "first's place", second.pk: "second's place"}
    other = make_scorm_package(admin, title="Not in this lesson")
    assert _commit(client, lesson, other, {}).status_code == 404
    assert _commit(client, module, package, {}).status_code == 404  # not a lesson
    client.logout()
    assert _commit(client, lesson, package, {}).status_code == 302


def test_a_commit_needs_the_csrf_token(scorm_12):
    package, _module, lesson = scorm_12
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    response = _commit(strict, lesson, package, {"cmi.core.lesson_location": "x"})
    assert response.status_code == 403
    assert not ScormAttempt.objects.exists()


def test_a_malformed_commit_is_refused(client, scorm_12):
    package, _module, lesson = scorm_12
    client.force_login(UserFactory())
    url = reverse("scorm_commit", args=[lesson.pk, package.pk])
    assert client.post(url, {"cmi": "not json"}).status_code == 400
    assert client.post(url, {"cmi": "[1, 2]"}).status_code == 400
    assert client.post(url, {"cmi": json.dumps(["cmi.core.lesson_status"])}).status_code == 400
    too_long = {"cmi.suspend_data": "x" * 64_001}
    assert _commit(client, lesson, package, too_long).status_code == 400
    assert not ScormAttempt.objects.exists()
    # Empty collections of the data model, flattened, are passed over.
    empty = {"cmi.interactions": [], "cmi.objectives": {}, "cmi.core.lesson_location": "p1"}
    assert _commit(client, lesson, package, empty).status_code == 200
    assert ScormAttempt.objects.get().location == "p1"


def test_commits_are_rate_limited(client, scorm_12, settings):
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "scorm_commit": "2/1m"}
    package, _module, lesson = scorm_12
    client.force_login(UserFactory())
    codes = [_commit(client, lesson, package, {}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_launch_file_is_served_with_the_runtime_and_a_strict_policy(client, scorm_12):
    package, _module, _lesson = scorm_12
    response = client.get(launch_url(package))
    assert response.status_code == 200
    html = response.content.decode()
    runtime = f"/scorm/{package.pk}/"
    assert re.search(rf'<head><script src="{runtime}[^"]+/__hope__/runtime.js"></script>', html)
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors http://testserver" in policy
    assert "connect-src 'self' http://testserver" in policy
    assert "form-action 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" not in response
    script = client.get(package_file_url(package, "course.js"))
    assert script["Content-Type"].startswith("text/javascript")
    assert b"LMSInitialize" in b"".join(script.streaming_content)
    shim = client.get(package_file_url(package, "__hope__/runtime.js"))
    assert b"CrossFrameAPI" in shim.content
    assert b'new CrossFrameAPI("http://testserver",window.parent)' in shim.content


def test_the_file_view_serves_only_that_packages_files(client, scorm_12, admin):
    package, _module, _lesson = scorm_12
    other = make_scorm_package(admin, version="2004")
    url = package_file_url(package, "index.html")
    token = url.split("/")[3]
    assert client.get(url).status_code == 200
    # Another package's file under this package's link, or its id with this package's token.
    assert client.get(package_file_url(package, "content/index.html")).status_code == 404
    assert client.get(f"/scorm/{other.pk}/{token}/content/index.html").status_code == 404
    assert client.get(f"/scorm/{package.pk}/not-a-token/index.html").status_code == 404
    assert (
        client.get(f"/scorm/{package.pk}/{token}/../{other.prefix}/index.html").status_code == 404
    )
    assert client.get(f"/scorm/{package.pk}/{token}/__hope__/other.js").status_code == 404
    assert client.post(url).status_code == 405


def test_an_expired_link_is_not_found(client, scorm_12, settings):
    package, _module, _lesson = scorm_12
    url = package_file_url(package, "index.html")
    settings.HOPE_SCORM_LINK_HOURS = 0
    assert client.get(url).status_code == 404


def test_a_separate_content_origin(client, scorm_12, settings):
    settings.HOPE_SCORM_CONTENT_ORIGIN = "http://content.testserver"
    settings.ALLOWED_HOSTS = ["testserver", "content.testserver"]
    package, _module, _lesson = scorm_12
    url = launch_url(package)
    assert url.startswith("http://content.testserver/scorm/")
    path = url.removeprefix("http://content.testserver")
    assert client.get(path).status_code == 404  # not on the service's own address
    response = client.get(path, HTTP_HOST="content.testserver")
    assert response.status_code == 200
    assert "frame-ancestors http://testserver" in response["Content-Security-Policy"]
