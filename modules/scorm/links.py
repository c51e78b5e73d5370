"""Links to a package's files: signed for that package and good for ``HOPE_SCORM_LINK_HOURS``,
so the sandboxed frame (which sends no cookies of ours) can load them, and on the separate
content origin when ``HOPE_SCORM_CONTENT_ORIGIN`` names one."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from modules.scorm.models import ScormPackage
from modules.scorm.selectors import LINK_SALT


def link_max_age() -> int:
    return settings.HOPE_SCORM_LINK_HOURS * 3600


def package_file_url(package: ScormPackage, path: str) -> str:
    """The URL of ``path`` inside ``package`` (``path`` may carry a query string)."""
    token = signing.dumps(package.pk, salt=LINK_SALT)
    file_path, mark, query = path.partition("?")
    url = reverse(
        "scorm_package_file",
        kwargs={"package_id": package.pk, "token": token, "path": file_path},
    )
    return f"{settings.HOPE_SCORM_CONTENT_ORIGIN}{url}{mark}{query}"


def launch_url(package: ScormPackage) -> str:
    return package_file_url(package, package.launch)
