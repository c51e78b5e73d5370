"""H5P content: upload checks (the SCORM zip checks, then h5p.json, content and the main
library), files served only to its sandboxed frame, results recorded for the signed-in
learner only, completing the lesson but never issuing a certificate on their own."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from modules.h5p import services
from modules.h5p.models import H5PContent, H5PResult
from modules.h5p.packages import h5p_inspect
from modules.h5p.player import player_url
from modules.models import Certificate, Enrolment, LessonCompletion
from modules.progress import services as progress
from modules.scorm.links import package_file_url

from .factories import UserFactory
from .module_factories import answer_module_check
from .scorm_factories import (
    H5P_JSON,
    h5p_zip,
    make_h5p_content,
    make_h5p_module,
    make_scorm_package,
    zip_of,
    zip_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def h5p(admin):
    content = make_h5p_content(admin)
    module, lesson = make_h5p_module(content)
    return content, module, lesson


def _refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        h5p_inspect(io.BytesIO(data), size=len(data))
    return caught.value.messages[0]


def test_an_h5p_file_is_read_and_stored(admin):
    inspected = h5p_inspect(io.BytesIO(h5p_zip()), size=len(h5p_zip()))
    assert (inspected.title, inspected.main_library) == ("Tiny H5P question", "H5P.HopeTiny")
    content = make_h5p_content(admin)
    assert content.prefix.startswith("h5p/")
    assert default_storage.exists(f"{content.prefix}/H5P.HopeTiny-1.0/tiny.js")


def test_broken_or_unsafe_h5p_files_are_refused():
    assert "unsafe name" in _refused(h5p_zip(**{"../evil.js": "x"}))
    assert "no h5p.json" in _refused(zip_of({"content/content.json": "{}"}))
    assert "cannot be read" in _refused(zip_of({"h5p.json": "{not json"}))
    assert "no content/content.json" in _refused(zip_of({"h5p.json": json.dumps(H5P_JSON)}))
    no_library = zip_of({"h5p.json": json.dumps(H5P_JSON), "content/content.json": "{}"})
    assert "library that plays it (H5P.HopeTiny-1.0)" in _refused(no_library)
    assert "not an H5P file" in _refused(b"not a zip")


def test_only_people_who_may_add_content_upload_it():
    upload = zip_upload(h5p_zip(), name="tiny.h5p")
    with pytest.raises(PermissionDenied):
        services.h5p_content_create(user=UserFactory(), title="x", upload=upload, size=upload.size)
    assert not H5PContent.objects.exists()


def _post(client, lesson, content, **data):
    return client.post(reverse("h5p_result", args=[lesson.pk, content.pk]), data)


def test_an_answer_completes_the_lesson_and_keeps_the_score_but_no_certificate(client, h5p):
    content, module, lesson = h5p
    learner = UserFactory()
    with pytest.raises(ValidationError, match="Finish the e-learning activity"):
        progress.lesson_complete(user=learner, lesson=lesson, module=module)
    client.force_login(learner)
    answer = _post(
        client, lesson, content, verb="answered", completion="false", score_raw="1", score_max="4"
    )
    assert answer.json() == {"saved": True, "content_complete": False, "complete": False}
    answer = _post(
        client, lesson, content, verb="answered", completion="true", score_raw="3", score_max="4"
    )
    assert answer.json() == {"saved": True, "content_complete": True, "complete": True}
    result = H5PResult.objects.get(user=learner)
    assert (str(result.score_raw), str(result.score_max)) == ("3.0000", "4.0000")
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
    assert Enrolment.objects.get(user=learner, module=module).completed_at is None
    assert not Certificate.objects.filter(user=learner).exists()
    answer_module_check(learner, module)
    assert Certificate.objects.filter(user=learner, module=module).exists()


def test_results_are_the_learners_own_and_only_for_content_in_that_lesson(client, h5p, admin):
    content, _module, lesson = h5p
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    _post(client, lesson, content, verb="completed", completion="true")
    client.force_login(second)
    status = client.get(lesson.url).content.decode().split("data-hope-h5p-status>")[1]
    assert status.startswith("Your result is saved when you finish the activity.")
    other = make_h5p_content(admin, title="Elsewhere")
    assert _post(client, lesson, other, verb="completed").status_code == 404
    assert _post(client, lesson, content, verb="experienced").status_code == 400
    assert (
        _post(client, lesson, content, verb="answered", score_raw="5", score_max="4").status_code
        == 400
    )
    assert _post(client, lesson, content, verb="answered", score_raw="x").status_code == 400
    assert list(H5PResult.objects.values_list("user_id", flat=True)) == [first.pk]
    client.logout()
    assert _post(client, lesson, content, verb="completed").status_code == 302


def test_the_player_page_and_files_are_served_only_for_that_content(client, h5p, admin):
    content, _module, lesson = h5p
    url = player_url(content)
    response = client.get(url)
    assert response.status_code == 200
    assert b'data-parent-origin="http://testserver"' in response.content
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    prefix = url.rsplit("/__hope__/", 1)[0]
    assert client.get(prefix + "/__hope__/h5p/main.bundle.js").status_code == 200
    assert client.get(prefix + "/__hope__/h5p-frame.js").status_code == 200
    assert client.get(prefix + "/h5p.json").status_code == 200
    assert client.get(prefix + "/__hope__/other.js").status_code == 404
    assert client.get(prefix + "/__hope__/h5p/../../h5p.json").status_code == 404
    token = url.split("/")[3]
    other = make_h5p_content(admin, title="Elsewhere")
    assert client.get(f"/h5p/{other.pk}/{token}/h5p.json").status_code == 404
    # A SCORM package's link, signed for the same number, does not open H5P files.
    package = make_scorm_package(admin)
    scorm_token = package_file_url(package, "index.html").split("/")[3]
    assert client.get(f"/h5p/{package.pk}/{scorm_token}/h5p.json").status_code == 404
    page = client.get(lesson.url).content.decode()
    assert 'sandbox="allow-scripts allow-forms"' in page


def test_the_admin_upload_stores_the_content_as_its_uploader(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/modules/h5pcontent/add/",
        {"title": "Quiz", "package": zip_upload(h5p_zip(), name="quiz.h5p")},
    )
    assert response.status_code == 302
    content = H5PContent.objects.get()
    assert content.title == "Quiz" and content.uploaded_by == admin
