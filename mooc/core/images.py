"""Uploaded images are decoded, checked and re-encoded: what we store is a
fresh JPEG or PNG made by Pillow, never the uploaded bytes (which could hide a
script or an exploit for some viewer)."""

from __future__ import annotations

import io
import math
import uuid
import warnings
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from mooc.core.errors import ServiceError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Decompression bombs: a tiny file that unpacks to gigapixels (a 231 KB PNG of
# 8,900 × 8,900 took ~700 MB to decode; issue 14, F3). Decoding costs about 8.5 bytes
# a pixel at its peak here, so uploads stop at 24 megapixels (6,000 × 4,000, a camera's
# full size: ~200 MB); Pillow itself refuses anything over 40 megapixels, for images
# stored before this limit too, and its warning is an error, not a log line.
MAX_UPLOAD_PIXELS = 24_000_000
Image.MAX_IMAGE_PIXELS = 40_000_000
# Imported by CoreConfig.ready(), so this holds in every process (workers, Celery).
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def _too_many_pixels(max_pixels: int) -> str:
    side = math.isqrt(max_pixels)
    return str(
        _(
            "The image has too many pixels: at most %(megapixels)s megapixels "
            "(for example %(side)s × %(side)s pixels). Make it smaller and upload it again."
        )
        % {"megapixels": f"{max_pixels / 1_000_000:g}", "side": side}
    )


def image_pixels_check(upload: IO[bytes], *, max_pixels: int = MAX_UPLOAD_PIXELS) -> None:
    """Refuse an image whose header announces more than `max_pixels`, before anything is
    decoded (Pillow's `open` reads only the header). Raises ValidationError; files that
    are not images are left to the caller's own check. The file is rewound."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                width, height = probe.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_too_many_pixels(max_pixels), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError):
        return
    finally:
        upload.seek(0)
    if width * height > max_pixels:
        raise ValidationError(_too_many_pixels(max_pixels), code="too_many_pixels")


class PixelLimitedImageField(forms.ImageField):
    """Django's ImageField with the pixel limit checked first, with a message that says
    it. For images the admin stores as uploaded (news, logos, certificate designs), which
    are decoded later (the certificate PDF, thumbnails)."""

    def to_python(self, data: Any) -> Any:
        if data is not None and hasattr(data, "seek"):
            image_pixels_check(data)
        return super().to_python(data)


def image_reencode(
    upload: UploadedFile,
    *,
    max_bytes: int = 2 * 1024 * 1024,
    max_side: int = 800,
    field: str = "photo",
    max_pixels: int = MAX_UPLOAD_PIXELS,
) -> ContentFile[bytes]:
    if upload.size is not None and upload.size > max_bytes:
        raise ServiceError(
            _("The image is too large: at most %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            field=field,
            code="too_large",
        )
    try:
        image_pixels_check(upload, max_pixels=max_pixels)
    except ValidationError as error:
        raise ServiceError(str(error.messages[0]), field=field, code="too_many_pixels") from None
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise UnidentifiedImageError
            image = ImageOps.exif_transpose(image)  # type: ignore[assignment]
            image.thumbnail((max_side, max_side))
            has_alpha = (
                image.mode in {"RGBA", "LA", "P"} and "transparency" in image.info
            ) or image.mode in {"RGBA", "LA"}
            out = io.BytesIO()
            if has_alpha:
                image.convert("RGBA").save(out, "PNG", optimize=True)
                extension = "png"
            else:
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                extension = "jpg"
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ServiceError(
            _("Upload a JPEG, PNG, WebP or GIF image."), field=field, code="not_image"
        ) from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
