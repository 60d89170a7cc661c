"""Finding F3 of issue 14: an image's pixel count is checked from its header, before
anything is decoded, on every image upload; Pillow's bomb warning is an error."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from mooc.accounts.models import User
from mooc.core.errors import ServiceError
from mooc.core.images import MAX_UPLOAD_PIXELS, PixelLimitedImageField, image_reencode


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int, height: int) -> bytes:
    """A black 1-bit PNG: a few hundred KB at most, however many pixels it announces."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.png", data, content_type="image/png")


@pytest.mark.usefixtures("english")
def test_the_profile_photo_of_the_probe_is_refused_with_the_limit_in_pixels() -> None:
    bomb = huge_png(8_900, 8_900)  # the probe's: 231 KB, 79 megapixels
    assert len(bomb) < 2 * 1024 * 1024

    with pytest.raises(ServiceError) as refused:
        image_reencode(upload(bomb))

    assert refused.value.code == "too_many_pixels"
    assert "at most 24 megapixels" in str(refused.value.message)
    assert "4898 × 4898 pixels" in str(refused.value.message)


def test_just_over_the_upload_limit_is_refused_before_decoding() -> None:
    # 25 megapixels: under Pillow's own limit, so only our check stands in the way.
    with pytest.raises(ServiceError) as refused:
        image_reencode(upload(huge_png(5_000, 5_000)))
    assert refused.value.code == "too_many_pixels"


def test_a_camera_sized_photo_still_passes() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4_000, 3_000), "navy").save(buffer, "JPEG")
    assert MAX_UPLOAD_PIXELS >= 4_000 * 3_000
    stored = image_reencode(upload(buffer.getvalue()), max_bytes=10 * 1024 * 1024)
    assert stored.name is not None and stored.name.endswith(".jpg")


def test_pillows_bomb_warning_is_an_error_in_every_process(tmp_path: Path) -> None:
    # pytest records every warning inside a test (its own filters replace the process's),
    # so a fresh Django process opens the image, as a worker would.
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(huge_png(7_000, 7_000))  # 49 MP: over Pillow's 40, under twice that
    script = (
        "import django; django.setup()\n"
        "from PIL import Image\n"
        "try:\n"
        f"    Image.open({str(bomb)!r})\n"
        "except Image.DecompressionBombWarning:\n"
        "    print('refused')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.strip() == "refused", done.stderr[-2000:]


def test_a_bomb_over_pillows_own_limit_gets_the_same_message() -> None:
    with pytest.raises(ServiceError) as refused:
        image_reencode(upload(huge_png(7_000, 7_000)))  # 49 MP: Pillow warns
    assert refused.value.code == "too_many_pixels"


@pytest.mark.usefixtures("english")
def test_images_stored_as_uploaded_are_checked_in_their_form_field() -> None:
    with pytest.raises(ValidationError) as refused:
        PixelLimitedImageField().clean(upload(huge_png(8_900, 8_900)))
    assert refused.value.code == "too_many_pixels"
    assert "megapixels" in refused.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_path", "fields"),
    [
        ("mooc.content.models.News", ["image"]),
        ("mooc.core.models.SiteSettings", ["logo", "signature_image"]),
        ("mooc.certificates.models.CertificateDesign", ["background", "logo", "signature_image"]),
        ("mooc.catalog.models.Course", ["cover_image"]),
        ("mooc.catalog.models.Instructor", ["photo"]),
        ("mooc.exams.models.Question", ["image"]),
    ],
)
def test_every_admin_image_upload_checks_pixels(
    rf: RequestFactory, admin_user: User, model_path: str, fields: list[str]
) -> None:
    from django.utils.module_loading import import_string

    model = import_string(model_path)
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = admin_user
    form = model_admin.get_form(request)()
    for name in fields:
        assert isinstance(form.fields[name], PixelLimitedImageField), name
