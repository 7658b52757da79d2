"""Uploaded images: recognised by their content (never by their name or the browser's content type), refused with a
clear message when they are too large, not an accepted format, unreadable or a decompression bomb, then scaled down
and encoded again, so nothing of the uploaded file itself (metadata, a hidden payload) is ever served.

Each kind of upload is an ImageRule: the formats it accepts, the longest side of the result, and what the result is.
A PNG keeps transparency (RGBA: logos on any background); a JPEG is RGB at the rule's quality (photos, thumbnails).
The rules live with their apps: organisations (logos), budgeting (plan and realisation photos), knowledge
(thumbnails of library images).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Refuse decompression bombs long before Pillow's own warning threshold.
MAX_SOURCE_PIXELS = 40_000_000


@dataclass(frozen=True)
class ImageRule:
    formats: frozenset[str]  # Pillow's format names, as read from the content
    max_side: int  # the result fits in a square of this many pixels (never enlarged)
    output: Literal["PNG", "JPEG"]
    refusal: str | Promise  # for a file that is not an image in one of `formats`
    quality: int = 85  # JPEG only
    max_source_pixels: int = MAX_SOURCE_PIXELS


def check_size(upload: UploadedFile[bytes]) -> None:
    if upload.size is not None and upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The maximum is 5 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"},
            code="too_large",
        )


def reencode(source: bytes | IO[bytes], rule: ImageRule) -> tuple[str, bytes]:
    """(the format the content really has, the image scaled down and encoded as `rule.output`), or
    ValidationError with a message for the person."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        stream.seek(0)
        with Image.open(stream) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            probe.verify()
        if image_format not in rule.formats:
            raise ValidationError(str(rule.refusal), code="type")
        if width * height > rule.max_source_pixels:
            raise ValidationError(_("The image has too many pixels. Upload a smaller image."), code="pixels")
        stream.seek(0)
        with Image.open(stream) as original:
            original.load()
            picture = original.convert("RGBA" if rule.output == "PNG" else "RGB")
        picture.thumbnail((rule.max_side, rule.max_side))
        buffer = io.BytesIO()
        if rule.output == "JPEG":
            picture.save(buffer, format="JPEG", quality=rule.quality, optimize=True)
        else:
            picture.save(buffer, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(str(rule.refusal), code="type") from None
    return image_format, buffer.getvalue()


def process_upload(upload: UploadedFile[bytes], rule: ImageRule, *, name: str) -> ContentFile[bytes]:
    """The upload checked against settings.MAX_UPLOAD_SIZE and `rule`, as a new file called `name`."""
    check_size(upload)
    _format, data = reencode(upload, rule)
    return ContentFile(data, name=name)
