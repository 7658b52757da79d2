"""Plan images and realisation photos: checked by their content, limited in size, scaled down, re-encoded."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_PIXELS = 1600
MAX_SOURCE_PIXELS = 40_000_000
MAX_IMAGES = 5


def process_image(upload: UploadedFile[bytes]) -> ContentFile[bytes]:
    """A JPEG of at most 1600 pixels wide or high, or ValidationError with a clear message."""
    if upload.size is not None and upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(_("The file is too large. The maximum is 5 MB."), code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise ValidationError(_("Upload a PNG, JPEG or WebP image."), code="type")
        if width * height > MAX_SOURCE_PIXELS:
            raise ValidationError(_("The image has too many pixels. Upload a smaller image."), code="pixels")
        upload.seek(0)
        with Image.open(upload) as source:
            source.load()
            picture = source.convert("RGB")
        picture.thumbnail((MAX_PIXELS, MAX_PIXELS))
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a PNG, JPEG or WebP image."), code="type"
        ) from None
    return ContentFile(buffer.getvalue(), name="foto.jpg")
