"""Uploaded images are decoded, checked and re-encoded: what we store is a
fresh JPEG or PNG made by Pillow, never the uploaded bytes (which could hide a
script or an exploit for some viewer)."""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from mooc.core.errors import ServiceError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Decompression bombs: a tiny file that unpacks to gigapixels.
Image.MAX_IMAGE_PIXELS = 40_000_000


def image_reencode(
    upload: UploadedFile,
    *,
    max_bytes: int = 2 * 1024 * 1024,
    max_side: int = 800,
    field: str = "photo",
) -> ContentFile[bytes]:
    if upload.size is not None and upload.size > max_bytes:
        raise ServiceError(
            _("The image is too large: at most %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            field=field,
            code="too_large",
        )
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
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ServiceError(
            _("Upload a JPEG, PNG, WebP or GIF image."), field=field, code="not_image"
        ) from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
