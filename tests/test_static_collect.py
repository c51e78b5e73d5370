"""The static files collect as a deployment collects them: the manifest storage follows every
reference inside the CSS and JavaScript (fonts, images, source maps), so a front-end package
copied in without a file it names would stop ``collectstatic`` on the first deploy."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_the_production_storage_finds_every_referenced_file(tmp_path):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in (
        "build/nhsuk-frontend.min.css",
        "build/scorm-again/scorm12.min.js",
        "build/scorm-again/cross-frame-api.min.js",
        "build/h5p-standalone/main.bundle.js",
    ):
        assert f'"{name}"' in manifest, name
