"""Uploaded files: recognised by their content (never by their name), opened with the library for their type,
refused with a clear message when they are too large, encrypted, damaged or a zip bomb, and their text extracted for
search. Images get a thumbnail and need alt text (the form asks for it).

The office formats (DOCX, XLSX, ODT) are zip files. Before any library opens one we read the zip's directory and
refuse it when the entries together would unpack to more than MAX_UNPACKED bytes, when one entry is compressed more
than MAX_RATIO times, or when it has more than MAX_ENTRIES entries. Python's zipfile never reads an entry past the
size its directory declares, so a lying directory cannot unpack more than we checked.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen030.core.images import ImageRule, reencode

MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 5000
MAX_IMAGE_PIXELS = 60_000_000
MAX_TEXT = 1_000_000  # characters of extracted text kept for search
THUMBNAIL_PIXELS = 480
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp", "GIF": "gif"}


@dataclass
class CheckedFile:
    name: str
    format: str
    size: int
    data: bytes
    text: str
    thumbnail: bytes | None = None

    @property
    def is_image(self) -> bool:
        return self.format in IMAGE_FORMATS.values()


def max_size() -> int:
    return int(getattr(settings, "KNOWLEDGE_MAX_FILE_SIZE", 25 * 1024 * 1024))


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


WRONG_TYPE = gettext_lazy(
    "We cannot use this file. Upload a PDF, Word (DOCX), OpenDocument (ODT) or Excel (XLSX) document, or a "
    "PNG, JPEG, WebP or GIF image."
)
THUMBNAIL = ImageRule(
    formats=frozenset(IMAGE_FORMATS),
    max_side=THUMBNAIL_PIXELS,
    output="JPEG",
    refusal=WRONG_TYPE,
    quality=82,
    max_source_pixels=MAX_IMAGE_PIXELS,
)


def wrong_type() -> ValidationError:
    return refuse(str(WRONG_TYPE), "type")


def check_upload(upload: UploadedFile[bytes]) -> CheckedFile:
    """Read, recognise, open and extract an upload, or raise ValidationError with a message for the person."""
    limit = max_size()
    if upload.size is not None and upload.size > limit:
        raise refuse(
            _("The file %(name)s is too large (%(size)s MB). The maximum is %(max)s MB.")
            % {"name": upload.name, "size": f"{upload.size / 1024 / 1024:.1f}", "max": limit // (1024 * 1024)},
            "too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise refuse(_("The file is too large. The maximum is %(max)s MB.") % {"max": limit // (1024 * 1024)}, "size")
    return check_bytes(data, name=clean_name(upload.name or "bestand"))


def clean_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "bestand"
    return "".join(char for char in name if char.isalnum() or char in "._- ")[:150] or "bestand"


def check_bytes(data: bytes, *, name: str) -> CheckedFile:
    if data.startswith(b"%PDF-"):
        return CheckedFile(name=name, format="pdf", size=len(data), data=data, text=pdf_text(data))
    if data.startswith(b"PK\x03\x04"):
        kind, text = office_text(data)
        return CheckedFile(name=name, format=kind, size=len(data), data=data, text=text)
    image_format, thumbnail = check_image(data)
    return CheckedFile(name=name, format=image_format, size=len(data), data=data, text="", thumbnail=thumbnail)


# PDF ---------------------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    damaged = refuse(_("This PDF is damaged and cannot be opened. Save it again and upload the new file."), "pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise refuse(
                _("This PDF is protected with a password or encryption. Upload a version without protection."),
                "encrypted",
            )
        parts: list[str] = []
        length = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length > MAX_TEXT:
                break
    except ValidationError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise damaged from None
    if not reader.pages:
        raise damaged
    return "\n".join(parts)[:MAX_TEXT]


# DOCX, XLSX and ODT ----------------------------------------------------------------------------------------------


def open_zip(data: bytes) -> zipfile.ZipFile:
    bomb = refuse(_("This file unpacks to far more data than it seems (a zip bomb), so we do not open it."), "bomb")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise refuse(_("This document is damaged and cannot be opened."), "damaged") from None
    if len(entries) > MAX_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED:
        raise bomb
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise bomb
    return archive


def office_text(data: bytes) -> tuple[str, str]:
    archive = open_zip(data)
    names = set(archive.namelist())
    try:
        if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
            return "odt", odt_text(archive)
        if "word/document.xml" in names:
            return "docx", docx_text(data)
        if "xl/workbook.xml" in names:
            return "xlsx", xlsx_text(data)
    except ValidationError:
        raise
    except Exception:
        raise refuse(_("This document is damaged and cannot be opened."), "damaged") from None
    raise wrong_type()


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(part for part in parts if part)[:MAX_TEXT]


def xlsx_text(data: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    length = 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                line = " ".join(str(value) for value in row if value is not None)
                if line:
                    parts.append(line)
                    length += len(line)
                if length > MAX_TEXT:
                    break
    finally:
        workbook.close()
    return "\n".join(parts)[:MAX_TEXT]


def odt_text(archive: zipfile.ZipFile) -> str:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    root = etree.fromstring(archive.read("content.xml"), parser=parser)
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    parts = ["".join(element.itertext()) for element in root.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}h")]
    return "\n".join(part for part in parts if part)[:MAX_TEXT]


# Images ------------------------------------------------------------------------------------------------------


def check_image(data: bytes) -> tuple[str, bytes]:
    """The image's format and a JPEG thumbnail; anything Pillow cannot open as one of our formats is refused."""
    image_format, thumbnail = reencode(data, THUMBNAIL)
    return IMAGE_FORMATS[image_format], thumbnail
