"""Reading an uploaded H5P file before anything is stored. The zip passes the same checks as
a SCORM package (``modules.scorm.packages.zip_entries_check``: no zip-slip, absolute paths,
links, zip bombs, oversize uploads); then it needs ``h5p.json`` naming its main library,
``content/content.json``, and the main library's ``library.json`` in the zip."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from modules.scorm.packages import upload_size_check, zip_entries_check

MAX_JSON_BYTES = 1024 * 1024


@dataclass(frozen=True)
class InspectedH5P:
    title: str
    main_library: str
    entries: tuple[zipfile.ZipInfo, ...]
    unzipped_bytes: int


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="h5p_package")


def _folder(dependency: dict) -> str:
    return f"{dependency['machineName']}-{dependency['majorVersion']}.{dependency['minorVersion']}"


def h5p_inspect(upload: IO[bytes], *, size: int) -> InspectedH5P:
    upload_size_check(size)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(_("The file is not an H5P file. Upload the content as a .h5p file.")) from exc
    with archive:
        files, total = zip_entries_check(archive)
        by_name = {info.filename: info for info in files}
        info = by_name.get("h5p.json")
        if info is None or info.file_size > MAX_JSON_BYTES:
            raise _refuse(
                _(
                    "The file has no h5p.json at the top. Export the content from H5P as a "
                    ".h5p file."
                )
            )
        try:
            manifest = json.loads(archive.read(info))
        except (ValueError, zipfile.BadZipFile) as exc:
            raise _refuse(_("The file's h5p.json cannot be read.")) from exc
        main = manifest.get("mainLibrary") if isinstance(manifest, dict) else None
        dependencies = manifest.get("preloadedDependencies") if isinstance(manifest, dict) else None
        if not isinstance(main, str) or not isinstance(dependencies, list):
            raise _refuse(_("The file's h5p.json does not name the content's main library."))
        if "content/content.json" not in by_name:
            raise _refuse(_("The file has no content/content.json."))
        try:
            library = next(
                d for d in dependencies if isinstance(d, dict) and d.get("machineName") == main
            )
            folder = _folder(library)
        except (StopIteration, KeyError) as exc:
            raise _refuse(
                _("The file's h5p.json does not name the content's main library.")
            ) from exc
        if f"{folder}/library.json" not in by_name:
            raise _refuse(
                _("The file does not hold the library that plays it (%(name)s).")
                % {"name": folder[:100]}
            )
    title = manifest.get("title") if isinstance(manifest.get("title"), str) else ""
    return InspectedH5P(
        title=title[:200], main_library=main[:200], entries=tuple(files), unzipped_bytes=total
    )
