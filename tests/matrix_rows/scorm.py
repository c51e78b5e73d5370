"""Permission-matrix rows for SCORM packages and H5P content (see tests/matrix_rows/__init__.py).

A package's files are for its sandboxed frame, which sends no cookies of ours: anyone holding
a link signed for that package gets its files, and nothing else (another package's files, a
bad link: 404). Commits are for any signed-in learner, for a package in a lesson they can open;
a package the lesson does not show is 404. H5P content's files and results work the same way.
"""

from __future__ import annotations

import json

from django.urls import reverse

from modules.scorm.links import launch_url, package_file_url
from tests.scorm_factories import make_scorm_module, make_scorm_package

from . import Row, everyone, signed_in


def _commit(package_key: str = "scorm_package"):
    return lambda c: reverse("scorm_commit", args=[c["scorm_lesson"].pk, c[package_key].pk])


CMI = {"cmi": json.dumps({"cmi.core.lesson_location": "matrix"})}

ROWS: list[Row] = [
    Row("scorm_package_file", lambda c: launch_url(c["scorm_package"]), everyone(200)),
    Row(
        "scorm_package_file",
        lambda c: package_file_url(c["scorm_package"], "course.js"),
        everyone(200),
    ),
    Row(
        "scorm_package_file",
        lambda c: package_file_url(c["scorm_package"], "content/index.html"),
        everyone(404),
    ),
    Row(
        "scorm_package_file",
        lambda c: f"/scorm/{c['scorm_package'].pk}/not-signed/index.html",
        everyone(404),
    ),
    Row(
        "scorm_package_file",
        lambda c: launch_url(c["scorm_package"]),
        everyone(405),
        method="post",
    ),
    Row("scorm_commit", _commit(), signed_in(200), method="post", data=CMI),
    Row("scorm_commit", _commit("scorm_other_package"), signed_in(404), method="post", data=CMI),
    Row("scorm_commit", _commit(), signed_in(405)),
]


def extend_context(ctx: dict) -> None:
    """Add the objects the rows above need to the shared matrix context."""
    admin = ctx["people"]["superuser"]
    ctx["scorm_package"] = make_scorm_package(admin)
    ctx["scorm_other_package"] = make_scorm_package(admin, version="2004")
    _module, ctx["scorm_lesson"] = make_scorm_module(ctx["scorm_package"])
    _extend_h5p(ctx)


# --- H5P content: the same shape ---------------------------------------------------------------


def _h5p_result(content_key: str = "h5p_content"):
    return lambda c: reverse("h5p_result", args=[c["h5p_lesson"].pk, c[content_key].pk])


def _h5p_file(path: str):
    from modules.h5p.player import player_url

    return lambda c: player_url(c["h5p_content"]).replace("__hope__/player.html", path)


H5P_RESULT = {"verb": "answered", "completion": "false", "score_raw": "1", "score_max": "4"}

ROWS += [
    Row("h5p_file", _h5p_file("__hope__/player.html"), everyone(200)),
    Row("h5p_file", _h5p_file("h5p.json"), everyone(200)),
    Row("h5p_file", _h5p_file("__hope__/nothing.js"), everyone(404)),
    Row(
        "h5p_file",
        lambda c: f"/h5p/{c['h5p_content'].pk}/not-signed/h5p.json",
        everyone(404),
    ),
    Row("h5p_file", _h5p_file("h5p.json"), everyone(405), method="post"),
    Row("h5p_result", _h5p_result(), signed_in(200), method="post", data=H5P_RESULT),
    Row(
        "h5p_result",
        _h5p_result("h5p_other_content"),
        signed_in(404),
        method="post",
        data=H5P_RESULT,
    ),
    Row("h5p_result", _h5p_result(), signed_in(405)),
]


def _extend_h5p(ctx: dict) -> None:
    from tests.scorm_factories import make_h5p_content, make_h5p_module

    admin = ctx["people"]["superuser"]
    ctx["h5p_content"] = make_h5p_content(admin)
    ctx["h5p_other_content"] = make_h5p_content(admin, title="Not in the lesson")
    _module, ctx["h5p_lesson"] = make_h5p_module(ctx["h5p_content"])
