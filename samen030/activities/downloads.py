"""The files on /open-data/: built from the database into VAR_DIR/opendata and served from there.

Building the packages for 20,000 activities takes tens of seconds, too long for a web request. A timer runs
`samen030 export_activities --refresh-downloads` every hour; a request builds a file itself only when it is
missing or older than OPEN_DATA_MAX_AGE (two hours by default), so a crawler cannot make the server build a
package on every request. Files are written next to the old one and swapped in at once: a download never sees
half a file.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from .hsds import write_hsds_package
from .opendata import write_activities_csv, write_csv_package


@dataclass(frozen=True)
class Download:
    name: str
    content_type: str
    write: Callable[[IO[bytes]], dict[str, int]]


DOWNLOADS = {
    download.name: download
    for download in (
        Download("activiteiten.csv", "text/csv; charset=utf-8", write_activities_csv),
        Download("activiteiten-csv.zip", "application/zip", write_csv_package),
        Download("activiteiten-hsds.zip", "application/zip", write_hsds_package),
    )
}


def directory() -> Path:
    path = Path(settings.VAR_DIR) / "opendata"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build(download: Download) -> dict[str, int]:
    descriptor, temporary = tempfile.mkstemp(dir=directory(), suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as target:
            counts = download.write(target)
        os.replace(temporary, directory() / download.name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts


def fresh(download: Download) -> Path:
    """The path of the download, built first when it is missing or older than OPEN_DATA_MAX_AGE."""
    path = directory() / download.name
    max_age: Any = settings.OPEN_DATA_MAX_AGE
    if not (max_age and path.exists() and time.time() - path.stat().st_mtime < max_age):
        build(download)
    return path


def refresh_all() -> dict[str, dict[str, int]]:
    return {name: build(download) for name, download in DOWNLOADS.items()}
