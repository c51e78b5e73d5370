"""SCORM packages: what an upload must pass before anything is stored (version and launch
file read from the manifest; zip-slip, absolute paths, links, zip bombs and oversize uploads
refused with a message an editor can act on), and how an accepted one is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from learning import permissions
from learning.models import AuditEvent
from modules.scorm.models import ScormPackage
from modules.scorm.packages import package_inspect, safe_member_path
from modules.scorm.services import scorm_package_create, scorm_package_delete

from .factories import UserFactory, add_to_group
from .scorm_factories import (
    MANIFEST_12,
    PAGE,
    make_scorm_package,
    scorm_12_zip,
    scorm_2004_zip,
    zip_of,
    zip_upload,
)

pytestmark = pytest.mark.django_db


def _inspect(data: bytes):
    return package_inspect(io.BytesIO(data), size=len(data))


def _refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        _inspect(data)
    return caught.value.messages[0]


def _manifest(**files):
    return {"imsmanifest.xml": MANIFEST_12.format(launch="index.html"), "index.html": PAGE, **files}


def test_a_scorm_12_package_is_read_from_its_manifest():
    inspected = _inspect(scorm_12_zip())
    assert inspected.version == "1.2"
    assert inspected.launch == "index.html"
    assert inspected.title == "Tiny SCORM 1.2 course"
    assert {i.filename for i in inspected.entries} == {"imsmanifest.xml", "index.html", "course.js"}


def test_a_scorm_2004_package_launches_the_default_organisations_first_item():
    inspected = _inspect(scorm_2004_zip())
    assert inspected.version == "2004"
    # xml:base on the resources, the item's parameters, and not the first organisation's item
    assert inspected.launch == "content/index.html?start=1"
    assert inspected.title == "Tiny SCORM 2004 course"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../evil.html", "unsafe name"),
        ("content/../../evil.html", "unsafe name"),
        ("/etc/cron.d/evil", "unsafe name"),
        ("C:/Windows/evil.dll", "unsafe name"),
        ("content\\evil.html", "unsafe name"),
        ("__hope__/runtime.js", "kept for the platform"),
    ],
)
def test_entries_that_would_land_outside_the_package_are_refused(name, words):
    assert words in _refused(zip_of(_manifest(**{name: "x"})))


def test_two_files_of_one_name_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST_12.format(launch="index.html"))
        archive.writestr("index.html", PAGE)
        archive.writestr("content//page.html", "one")
        archive.writestr("content/page.html", "two")
    assert "two files called content/page.html" in _refused(buffer.getvalue())


def test_a_symbolic_link_is_refused():
    data = zip_of(_manifest(link="/etc/passwd"), symlinks=("link",))
    assert "symbolic link (link)" in _refused(data)


def test_a_zip_bomb_is_refused_by_its_ratio():
    data = zip_of(_manifest(**{"padding.bin": b"\0" * (8 * 1024 * 1024)}))
    assert "expands more than 100 times" in _refused(data)


def test_limits_on_total_size_file_count_and_upload_size(settings):
    settings.HOPE_SCORM_MAX_UNZIPPED_MB = 1
    big = bytes(range(256)) * 6000  # about 1.5 MB that barely compresses
    assert "unpacks to more than 1 MB" in _refused(zip_of(_manifest(**{"big.bin": big})))
    settings.HOPE_SCORM_MAX_UNZIPPED_MB = 500
    settings.HOPE_SCORM_MAX_FILES = 3
    assert "more than 3 files" in _refused(zip_of(_manifest(a="1", b="2")))
    settings.HOPE_SCORM_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        package_inspect(io.BytesIO(scorm_12_zip()), size=2 * 1024 * 1024)


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"index.html": PAGE}, "no imsmanifest.xml"),
        (
            {"imsmanifest.xml": "<manifest><unclosed></manifest>", "index.html": PAGE},
            "not well-formed",
        ),
        (
            {
                "imsmanifest.xml": '<!DOCTYPE m [<!ENTITY e "x">]><manifest>&e;</manifest>',
                "index.html": PAGE,
            },
            "not well-formed",
        ),
        (
            {"imsmanifest.xml": "<manifest><organizations/></manifest>", "index.html": PAGE},
            "not SCORM 1.2 or SCORM 2004",
        ),
        (
            {"imsmanifest.xml": MANIFEST_12.format(launch="missing.html")},
            "launch file (missing.html)",
        ),
        (
            {"imsmanifest.xml": MANIFEST_12.format(launch="../index.html"), "index.html": PAGE},
            "is not in the zip",
        ),
    ],
)
def test_broken_or_unsupported_packages_are_refused(files, words):
    assert words in _refused(zip_of(files))


def test_a_file_that_is_not_a_zip_is_refused():
    assert "not a zip file" in _refused(b"%PDF-1.4 not a zip")


def test_safe_member_path():
    assert safe_member_path("content/a b.html") == "content/a b.html"
    assert safe_member_path("content//a.html") == "content/a.html"
    for bad in ("", "../a", "a/../../b", "/a", "C:/a", "a\\b", "a\x00b", "./a"):
        assert safe_member_path(bad) is None


def test_an_editor_uploads_a_package_into_storage_under_its_own_prefix():
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    package = make_scorm_package(editor)
    assert package.version == "1.2"
    assert package.launch == "index.html"
    assert package.file_count == 3
    assert package.prefix.startswith("scorm/")
    assert default_storage.exists(f"{package.prefix}/index.html")
    assert default_storage.open(f"{package.prefix}/course.js").read().startswith(b"\nvar api")
    event = AuditEvent.objects.get(action="scorm_package.uploaded")
    assert event.data == {"package_id": package.pk, "version": "1.2", "files": 3}
    other = make_scorm_package(editor, version="2004")
    assert other.prefix != package.prefix


def test_only_people_who_may_add_packages_upload_them():
    learner = UserFactory()
    upload = zip_upload(scorm_12_zip())
    with pytest.raises(PermissionDenied):
        scorm_package_create(user=learner, title="x", upload=upload, size=upload.size)
    assert not ScormPackage.objects.exists()


def _stored() -> set[str]:
    return set(default_storage.listdir("scorm")[0]) if default_storage.exists("scorm") else set()


def test_a_refused_upload_stores_nothing():
    editor = UserFactory(is_superuser=True)
    before = _stored()
    data = zip_of(_manifest(**{"../evil": "x"}))
    upload = zip_upload(data)
    with pytest.raises(ValidationError):
        scorm_package_create(user=editor, title="x", upload=upload, size=upload.size)
    assert not ScormPackage.objects.exists()
    assert _stored() == before


def test_files_stored_before_a_failure_are_removed(monkeypatch):
    editor = UserFactory(is_superuser=True)
    before = _stored()

    def refuse(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("modules.scorm.services.audit_record", refuse)
    upload = zip_upload(scorm_12_zip())
    with pytest.raises(RuntimeError):
        scorm_package_create(user=editor, title="x", upload=upload, size=upload.size)
    assert not ScormPackage.objects.exists()
    assert all(default_storage.listdir(f"scorm/{p}") == ([], []) for p in _stored() - before)


def test_deleting_a_package_removes_its_files():
    admin = UserFactory(is_superuser=True)
    package = make_scorm_package(admin, version="2004")
    assert default_storage.exists(f"{package.prefix}/content/index.html")
    scorm_package_delete(user=admin, package=package)
    assert not ScormPackage.objects.exists()
    assert not default_storage.exists(f"{package.prefix}/content/index.html")
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    kept = make_scorm_package(editor)
    with pytest.raises(PermissionDenied):  # editors add packages; administrators delete them
        scorm_package_delete(user=editor, package=kept)


def test_the_upload_form_shows_what_is_wrong(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = "/admin/snippets/modules/scormpackage/add/"
    bad = zip_upload(zip_of(_manifest(**{"../evil": "x"})))
    response = client.post(url, {"title": "Bad", "package": bad})
    assert response.status_code == 200
    assert "unsafe name" in response.content.decode()
    assert not ScormPackage.objects.exists()
    good = zip_upload(scorm_12_zip())
    response = client.post(url, {"title": "Good", "package": good})
    assert response.status_code == 302
    package = ScormPackage.objects.get()
    assert package.title == "Good"
    assert package.uploaded_by == admin
    assert zipfile.is_zipfile(io.BytesIO(scorm_12_zip()))


def test_a_failure_found_only_when_storing_shows_on_the_form(client, monkeypatch):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    def renamed(self, name, content, max_length=None):
        return name + "_x"

    monkeypatch.setattr(type(default_storage._wrapped), "save", renamed)
    response = client.post(
        "/admin/snippets/modules/scormpackage/add/",
        {"title": "Good", "package": zip_upload(scorm_12_zip())},
    )
    assert response.status_code == 200
    assert "could not be stored under its name" in response.content.decode()
    assert not ScormPackage.objects.exists()
