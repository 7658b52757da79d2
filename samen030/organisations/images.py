"""Logo uploads: checked by their content (not their name), limited in size and scaled down."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
LOGO_MAX_PIXELS = 512
# Refuse decompression bombs long before Pillow's own warning threshold.
MAX_SOURCE_PIXELS = 40_000_000


def process_logo(upload: UploadedFile[bytes]) -> ContentFile[bytes]:
    """Return the logo as a PNG of at most 512 × 512 pixels, or raise ValidationError with a clear message."""
    if upload.size is not None and upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The maximum is 5 MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ALLOWED_FORMATS:
            raise ValidationError(_("Upload a PNG, JPEG, WebP or GIF image."), code="type")
        if width * height > MAX_SOURCE_PIXELS:
            raise ValidationError(_("The image has too many pixels. Upload a smaller image."), code="pixels")
        upload.seek(0)
        with Image.open(upload) as source:
            source.load()
            logo = source.convert("RGBA")
        logo.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
        buffer = io.BytesIO()
        logo.save(buffer, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a PNG, JPEG, WebP or GIF image."), code="type"
        ) from None
    return ContentFile(buffer.getvalue(), name="logo.png")
