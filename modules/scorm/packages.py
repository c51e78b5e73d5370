"""Reading an uploaded SCORM zip before anything is stored: is it safe to unpack, and is it a
SCORM package we can play?

``package_inspect`` refuses, with a message an editor can act on:

* a file over ``HOPE_SCORM_MAX_UPLOAD_MB``, or one that is not a zip;
* entries that would land outside the package (``../``, absolute paths, drive letters,
  backslashes), symbolic links (the zip's Unix mode bits), encrypted entries;
* zip bombs: more than ``HOPE_SCORM_MAX_FILES`` entries, more than
  ``HOPE_SCORM_MAX_UNZIPPED_MB`` unpacked in all, or a file that expands more than
  ``HOPE_SCORM_MAX_RATIO`` times;
* no ``imsmanifest.xml`` at the top, a manifest that is not well-formed XML (read with
  defusedxml: no entities, no external references), a SCORM version other than 1.2 or 2004, or
  no launchable item in the default organisation.

The sizes checked are those the zip declares; ``zipfile`` never reads more than that from an
entry and checks each entry's CRC as it is unpacked, so what is stored cannot be larger.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from modules.scorm.models import ScormVersion

MANIFEST = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
# Files the service adds beside a package's own (the runtime script); a package may not use it.
RESERVED_FOLDER = "__hope__"
# Files smaller than this are not held to the ratio: tiny text files compress very well.
RATIO_FLOOR_BYTES = 1024 * 1024
SYMLINK_MODE = 0o120000
FILE_TYPE_MASK = 0o170000
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

NS_SCORM_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_SCORM_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"


@dataclass(frozen=True)
class Inspected:
    """A package that passed every check: its SCORM version, launch href (relative to the
    package, perhaps with a query string), its title and the file entries to unpack."""

    version: str
    launch: str
    title: str
    entries: tuple[zipfile.ZipInfo, ...]
    unzipped_bytes: int


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="scorm_package")


def safe_member_path(name: str) -> str | None:
    """``name`` as a relative path inside the package, or ``None`` when it would escape it or
    cannot be stored safely (absolute, ``..``, a drive letter, backslashes, control
    characters). Used for zip entries and for paths asked of the file view alike."""
    if not name or "\\" in name or _CONTROL.search(name):
        return None
    if name.startswith("/") or _DRIVE.match(name):
        return None
    parts = name.split("/")
    if any(part in ("..", ".") for part in parts):
        return None
    return "/".join(part for part in parts if part)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _attr(element: Element, name: str) -> str:
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _version(manifest: Element, raw: bytes) -> str | None:
    for metadata in _children(manifest, "metadata"):
        for schema in _children(metadata, "schemaversion"):
            text = (schema.text or "").strip().lower()
            if text == "1.2":
                return ScormVersion.SCORM_12
            if text.startswith("2004") or text == "cam 1.3":
                return ScormVersion.SCORM_2004
    # No schemaversion: the namespace of the ADL extensions says which.
    if NS_SCORM_2004.encode() in raw:
        return ScormVersion.SCORM_2004
    if NS_SCORM_12.encode() in raw:
        return ScormVersion.SCORM_12
    return None


def _first_item(element: Element) -> Element | None:
    """The first item, depth first, that names a resource to launch."""
    for item in _children(element, "item"):
        if _attr(item, "identifierref"):
            return item
        found = _first_item(item)
        if found is not None:
            return found
    return None


def _launch(manifest: Element) -> tuple[str, str]:
    """The launch href of the default organisation's first item, and the organisation's
    title. Raises ``ValidationError`` when there is none."""
    organisations = next(iter(_children(manifest, "organizations")), None)
    candidates = _children(organisations, "organization") if organisations is not None else []
    if not candidates:
        raise _refuse(_("The package's manifest has no organisation of its content."))
    default = _attr(organisations, "default") if organisations is not None else ""
    organisation = next(
        (o for o in candidates if default and _attr(o, "identifier") == default), candidates[0]
    )
    title = next((t.text or "" for t in _children(organisation, "title")), "").strip()
    item = _first_item(organisation)
    if item is None:
        raise _refuse(_("The package's manifest has no item to launch."))
    ref = _attr(item, "identifierref")
    resources = next(iter(_children(manifest, "resources")), None)
    resource = None
    if resources is not None:
        resource = next(
            (r for r in _children(resources, "resource") if _attr(r, "identifier") == ref), None
        )
    href = _attr(resource, "href") if resource is not None else ""
    if not href:
        raise _refuse(_("The package's first item does not name a file to launch."))
    base = "".join(
        _attr(element, "base") for element in (resources, resource) if element is not None
    )
    launch = posixpath.join(base, href) if base else href
    parameters = _attr(item, "parameters")
    if parameters:
        launch += parameters if parameters[0] in "?#" else f"?{parameters.lstrip('&')}"
    return launch, title


def _limits() -> tuple[int, int, int, int]:
    return (
        settings.HOPE_SCORM_MAX_UPLOAD_MB * 1024 * 1024,
        settings.HOPE_SCORM_MAX_UNZIPPED_MB * 1024 * 1024,
        settings.HOPE_SCORM_MAX_FILES,
        settings.HOPE_SCORM_MAX_RATIO,
    )


def zip_entries_check(archive: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], int]:
    _max_upload, max_unzipped, max_files, max_ratio = _limits()
    infos = archive.infolist()
    if len(infos) > max_files:
        raise _refuse(
            _("The package has more than %(count)s files. Packages can hold %(count)s at most.")
            % {"count": max_files}
        )
    files, total, seen = [], 0, set()
    for info in infos:
        path = safe_member_path(info.filename)
        if path is None:
            raise _refuse(
                _(
                    "The package has a file with an unsafe name (%(name)s): names cannot start "
                    "with / or a drive letter, or contain .. or backslashes."
                )
                % {"name": info.filename[:100]}
            )
        if (info.external_attr >> 16) & FILE_TYPE_MASK == SYMLINK_MODE:
            raise _refuse(
                _("The package has a symbolic link (%(name)s). Packages cannot hold links.")
                % {"name": path[:100]}
            )
        if info.flag_bits & 0x1:
            raise _refuse(_("The package has encrypted files. Upload it without a password."))
        if path.split("/", 1)[0] == RESERVED_FOLDER:
            raise _refuse(
                _("The package has a folder called %(name)s, which is kept for the platform.")
                % {"name": RESERVED_FOLDER}
            )
        if info.is_dir():
            continue
        if path in seen:
            raise _refuse(
                _("The package has two files called %(name)s. Each file needs its own name.")
                % {"name": path[:100]}
            )
        seen.add(path)
        total += info.file_size
        if total > max_unzipped:
            raise _refuse(
                _(
                    "The package unpacks to more than %(mb)s MB. Packages can unpack to "
                    "%(mb)s MB at most."
                )
                % {"mb": settings.HOPE_SCORM_MAX_UNZIPPED_MB}
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise _refuse(
                _(
                    "A file in the package (%(name)s) expands more than %(ratio)s times when "
                    "unpacked. Packages like this are refused as unsafe."
                )
                % {"name": path[:100], "ratio": max_ratio}
            )
        files.append(info)
    return files, total


def upload_size_check(size: int) -> None:
    """Refuse an upload over ``HOPE_SCORM_MAX_UPLOAD_MB`` (SCORM packages and H5P files)."""
    if size > _limits()[0]:
        raise _refuse(
            _("The file is larger than %(mb)s MB. Packages can be %(mb)s MB at most.")
            % {"mb": settings.HOPE_SCORM_MAX_UPLOAD_MB}
        )


def package_inspect(upload: IO[bytes], *, size: int) -> Inspected:
    """Check an uploaded zip of ``size`` bytes (see the module's docstring). Reads the zip's
    directory and its manifest only; nothing is unpacked."""
    upload_size_check(size)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(
            _("The file is not a zip file. Upload the SCORM package as a .zip file.")
        ) from exc
    with archive:
        files, total = zip_entries_check(archive)
        manifest_info = next((i for i in files if safe_member_path(i.filename) == MANIFEST), None)
        if manifest_info is None:
            raise _refuse(
                _(
                    "The package has no imsmanifest.xml at the top of the zip. Export it from "
                    "your authoring tool as a SCORM 1.2 or SCORM 2004 package."
                )
            )
        if manifest_info.file_size > MAX_MANIFEST_BYTES:
            raise _refuse(_("The package's imsmanifest.xml is too large to read."))
        try:
            raw = archive.read(manifest_info)
            manifest = ElementTree.fromstring(raw)
        except (DefusedXmlException, ElementTree.ParseError, zipfile.BadZipFile) as exc:
            raise _refuse(
                _("The package's imsmanifest.xml cannot be read: it is not well-formed XML.")
            ) from exc
        if _local(manifest.tag) != "manifest":
            raise _refuse(_("The package's imsmanifest.xml is not a content package manifest."))
        version = _version(manifest, raw)
        if version is None:
            raise _refuse(
                _(
                    "This package is not SCORM 1.2 or SCORM 2004. Only those versions can be "
                    "uploaded."
                )
            )
        launch, title = _launch(manifest)
        launch_file, mark, query = launch.partition("?")
        launch_file = launch_file.partition("#")[0]
        launch_path = safe_member_path(posixpath.normpath(launch_file)) if launch_file else None
        names = {safe_member_path(info.filename) for info in files}
        if launch_path is None or launch_path not in names:
            raise _refuse(
                _("The package's launch file (%(name)s) is not in the zip.")
                % {"name": launch[:100]}
            )
    return Inspected(
        version=version,
        launch=f"{launch_path}{mark}{query}",
        title=title[:200],
        entries=tuple(files),
        unzipped_bytes=total,
    )
