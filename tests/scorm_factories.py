"""Tiny SCORM packages built in memory, good and malicious, and lessons that show them."""

from __future__ import annotations

import io
import stat
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from modules.models import LessonPage, ModulePage

from .data_builders import builds_test_data
from .module_factories import make_module

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tiny12" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1"><title>Tiny SCORM 1.2 course</title>
      <item identifier="item1" identifierref="res1"><title>Only page</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="{launch}">
      <file href="{launch}"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tiny2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="first">
    <organization identifier="other"><title>Not the default</title>
      <item identifier="x" identifierref="wrong"><title>Wrong</title></item>
    </organization>
    <organization identifier="first"><title>Tiny SCORM 2004 course</title>
      <item identifier="section"><title>Section</title>
        <item identifier="item1" identifierref="res1" parameters="?start=1">
          <title>Page</title></item>
      </item>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="wrong" type="webcontent" adlcp:scormType="sco" href="wrong.html"/>
    <resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="{launch}"/>
  </resources>
</manifest>
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tiny course</title></head>
<body><main>
<h1>Tiny course</h1>
<p id="where">Loading</p>
<button id="halfway" type="button">Go to page 2</button>
<button id="finish" type="button">Finish the course</button>
</main>
<script src="course.js"></script>
</body></html>
"""

SCRIPT_12 = """
var api = window.API;
api.LMSInitialize("");
var place = api.LMSGetValue("cmi.core.lesson_location");
document.getElementById("where").textContent = place ? "Resumed at " + place : "Starting";
document.getElementById("halfway").onclick = function () {
  api.LMSSetValue("cmi.core.lesson_location", "page-2");
  api.LMSSetValue("cmi.suspend_data", "half way");
  api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  api.LMSCommit("");
  document.getElementById("where").textContent = "Saved at page-2";
};
document.getElementById("finish").onclick = function () {
  api.LMSSetValue("cmi.core.lesson_status", "completed");
  api.LMSSetValue("cmi.core.score.raw", "85");
  api.LMSCommit("");
  document.getElementById("where").textContent = "Finished";
};
"""

SCRIPT_2004 = """
var api = window.API_1484_11;
api.Initialize("");
var place = api.GetValue("cmi.location");
document.getElementById("where").textContent = place ? "Resumed at " + place : "Starting";
document.getElementById("halfway").onclick = function () {
  api.SetValue("cmi.location", "page-2");
  api.SetValue("cmi.suspend_data", "half way");
  api.Commit("");
  document.getElementById("where").textContent = "Saved at page-2";
};
document.getElementById("finish").onclick = function () {
  api.SetValue("cmi.completion_status", "completed");
  api.SetValue("cmi.success_status", "passed");
  api.SetValue("cmi.score.scaled", "0.9");
  api.Terminate("");  // no Commit: the runtime sends the last commit as it terminates
  document.getElementById("where").textContent = "Finished";
};
"""


def zip_of(files: dict[str, bytes | str], *, symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def scorm_12_zip(**extra: bytes | str) -> bytes:
    return zip_of(
        {
            "imsmanifest.xml": MANIFEST_12.format(launch="index.html"),
            "index.html": PAGE,
            "course.js": SCRIPT_12,
            **extra,
        }
    )


def scorm_2004_zip() -> bytes:
    return zip_of(
        {
            "imsmanifest.xml": MANIFEST_2004.format(launch="index.html"),
            "content/index.html": PAGE,
            "content/course.js": SCRIPT_2004,
            "content/wrong.html": "<p>wrong</p>",
        }
    )


def zip_upload(data: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


@builds_test_data
def make_scorm_package(editor, *, version: str = "1.2", title: str = "Tiny course"):
    """A package uploaded through the real service, as ``editor``."""
    from modules.scorm.services import scorm_package_create

    data = scorm_12_zip() if version == "1.2" else scorm_2004_zip()
    upload = zip_upload(data)
    return scorm_package_create(user=editor, title=title, upload=upload, size=upload.size)


def scorm_block(package, title: str = "Tiny course activity") -> dict:
    return {"type": "scorm", "value": {"package": package.pk, "title": title, "description": ""}}


@builds_test_data
def make_scorm_module(package, *, final_check: bool = True) -> tuple[ModulePage, LessonPage]:
    """A module of one lesson whose body is a SCORM package (and some text), with an
    end-of-module check unless ``final_check`` is false."""
    module = make_module(lessons=0, final_check=final_check)
    lesson = LessonPage(
        title="The SCORM lesson",
        slug="scorm-lesson",
        summary="A lesson with e-learning in it.",
        body=[
            {"type": "rich_text", "value": "<p>Work through the activity below.</p>"},
            scorm_block(package),
        ],
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk), LessonPage.objects.get(pk=lesson.pk)


# --- H5P -----------------------------------------------------------------------------------

H5P_JSON = {
    "title": "Tiny H5P question",
    "language": "en",
    "mainLibrary": "H5P.HopeTiny",
    "embedTypes": ["div"],
    "license": "U",
    "preloadedDependencies": [
        {"machineName": "H5P.HopeTiny", "majorVersion": 1, "minorVersion": 0}
    ],
}
H5P_LIBRARY = {
    "title": "Hope tiny",
    "machineName": "H5P.HopeTiny",
    "majorVersion": 1,
    "minorVersion": 0,
    "patchVersion": 0,
    "runnable": 1,
    "embedTypes": ["div"],
    "preloadedJs": [{"path": "tiny.js"}],
}
H5P_SCRIPT = """
var H5P = H5P || {};
H5P.HopeTiny = (function () {
  function Tiny(params, contentId) {
    H5P.EventDispatcher.call(this);
    this.params = params;
    this.contentId = contentId;
  }
  Tiny.prototype = Object.create(H5P.EventDispatcher.prototype);
  Tiny.prototype.constructor = Tiny;
  Tiny.prototype.attach = function ($container) {
    var self = this;
    var question = document.createElement("p");
    question.textContent = self.params.question;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Answer the question";
    button.onclick = function () {
      self.triggerXAPIScored(3, 4, "answered", true, true);
      question.textContent = "Answered";
    };
    $container.get(0).appendChild(question);
    $container.get(0).appendChild(button);
  };
  return Tiny;
})();
"""


def h5p_zip(**extra: bytes | str) -> bytes:
    import json

    return zip_of(
        {
            "h5p.json": json.dumps(H5P_JSON),
            "content/content.json": json.dumps({"question": "Are you ready?"}),
            "H5P.HopeTiny-1.0/library.json": json.dumps(H5P_LIBRARY),
            "H5P.HopeTiny-1.0/tiny.js": H5P_SCRIPT,
            **extra,
        }
    )


@builds_test_data
def make_h5p_content(editor, *, title: str = "Tiny question"):
    from modules.h5p.services import h5p_content_create

    upload = zip_upload(h5p_zip(), name="tiny.h5p")
    return h5p_content_create(user=editor, title=title, upload=upload, size=upload.size)


@builds_test_data
def make_h5p_module(content, *, final_check: bool = True) -> tuple[ModulePage, LessonPage]:
    """A module of one lesson whose body is H5P content."""
    module = make_module(lessons=0, final_check=final_check)
    lesson = LessonPage(
        title="The H5P lesson",
        slug="h5p-lesson",
        summary="A lesson with an H5P question in it.",
        body=[
            {"type": "rich_text", "value": "<p>Answer the question below.</p>"},
            {
                "type": "h5p",
                "value": {"content": content.pk, "title": "Tiny question", "description": ""},
            },
        ],
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk), LessonPage.objects.get(pk=lesson.pk)
