"""One image check for every upload: by content, within a size and a pixel limit, scaled down and encoded again."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from samen030.budgeting.forms import PHOTO
from samen030.core.images import ImageRule, process_upload, reencode
from samen030.knowledge.files import THUMBNAIL, check_image
from samen030.organisations.forms import LOGO


def picture(size=(800, 600), fmt="PNG", mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 0) if mode == "RGBA" else (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_logo_is_a_png_that_keeps_its_transparency():
    image_format, data = reencode(picture((1024, 300)), LOGO)
    logo = opened(data)
    assert (image_format, logo.format, logo.mode, logo.size) == ("PNG", "PNG", "RGBA", (512, 150))
    assert logo.getpixel((0, 0))[3] == 0


def test_a_photo_is_a_jpeg_and_a_small_one_is_not_enlarged():
    _format, data = reencode(picture((2400, 1200)), PHOTO)
    assert (opened(data).format, opened(data).mode, opened(data).size) == ("JPEG", "RGB", (1600, 800))
    _format, data = reencode(picture((40, 30), fmt="WEBP"), PHOTO)
    assert opened(data).size == (40, 30)


def test_each_rule_accepts_only_its_own_formats():
    gif = picture((50, 50), fmt="GIF", mode="P")
    assert reencode(gif, LOGO)[0] == "GIF"
    with pytest.raises(ValidationError) as refused:
        reencode(gif, PHOTO)
    assert (refused.value.code, refused.value.messages) == ("type", [str(PHOTO.refusal)])
    assert check_image(gif)[0] == "gif"


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00" + b"\x00" * 200, b"%PDF-1.7\n", b"", picture()[:60]],
    ids=["program", "pdf", "empty", "truncated"],
)
@pytest.mark.parametrize("rule", [LOGO, PHOTO, THUMBNAIL], ids=["logo", "photo", "thumbnail"])
def test_what_is_not_a_readable_image_gets_the_rules_message(content, rule):
    with pytest.raises(ValidationError) as refused:
        reencode(content, rule)
    assert (refused.value.code, refused.value.messages) == ("type", [str(rule.refusal)])


def test_too_many_pixels_are_refused_before_decoding():
    tiny = ImageRule(formats=frozenset({"PNG"}), max_side=10, output="PNG", refusal="nee", max_source_pixels=99)
    with pytest.raises(ValidationError) as refused:
        reencode(picture((10, 10)), tiny)
    assert refused.value.code == "pixels"
    assert reencode(picture((9, 11)), tiny)[0] == "PNG"


def test_an_upload_over_the_size_limit_is_refused(settings):
    settings.MAX_UPLOAD_SIZE = 1024
    big = SimpleUploadedFile("logo.png", picture((400, 400), mode="RGB") + b"\x00" * 2048)
    with pytest.raises(ValidationError) as refused:
        process_upload(big, LOGO, name="logo.png")
    assert refused.value.code == "too_large"
    settings.MAX_UPLOAD_SIZE = 5 * 1024 * 1024
    assert process_upload(big, LOGO, name="logo.png").name == "logo.png"
