"""Checks on files that course authors upload: videos, attachments and images.

A file is judged by its name *and* its first bytes: an HTML page renamed `.mp4` or
a program renamed `.pdf` is refused, because browsers and office tools trust the
bytes, not the name. Images are never stored as uploaded: they are decoded and
re-encoded (see `mooc.core.images`).

The checks raise `ValidationError`, so admin forms and the course-package importer
show their messages next to the field.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from mooc.core.errors import ServiceError
from mooc.core.images import image_reencode

MB = 1024 * 1024
DEFAULT_MAX_VIDEO_UPLOAD_MB = 500
DEFAULT_MAX_ATTACHMENT_UPLOAD_MB = 50
IMAGE_MAX_BYTES = 5 * MB
COVER_MAX_SIDE = 1600
PHOTO_MAX_SIDE = 600
_HEAD_BYTES = 4096

VIDEO_EXTENSIONS = ("mp4", "webm", "ogg", "ogv")
ATTACHMENT_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "txt", "zip")
# Office Open XML files are zip archives holding this part, which names the document kind.
_OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


def max_video_bytes() -> int:
    return int(getattr(settings, "MAX_VIDEO_UPLOAD_MB", DEFAULT_MAX_VIDEO_UPLOAD_MB)) * MB


def max_attachment_bytes() -> int:
    return int(getattr(settings, "MAX_ATTACHMENT_UPLOAD_MB", DEFAULT_MAX_ATTACHMENT_UPLOAD_MB)) * MB


def extension_of(name: str | None) -> str:
    """`Video.MP4` → `mp4`; the last suffix only, so `report.pdf.exe` is an `exe`."""
    return PurePosixPath((name or "").replace("\\", "/")).suffix.lower().lstrip(".")


@dataclass(frozen=True)
class _Probe:
    extension: str
    size: int
    head: bytes


def _probe(upload: UploadedFile | IO[bytes], name: str | None) -> _Probe:
    upload.seek(0)
    head = upload.read(_HEAD_BYTES) or b""
    upload.seek(0)
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return _Probe(extension=extension_of(name), size=int(size), head=bytes(head))


def _refuse_empty(probe: _Probe) -> None:
    if probe.size == 0 or not probe.head:
        raise ValidationError(_("The file is empty."), code="empty")


def _refuse_too_large(probe: _Probe, limit: int, message: Any) -> None:
    if probe.size > limit:
        raise ValidationError(message % {"mb": limit // MB}, code="too_large")


def _mismatch(extension: str) -> ValidationError:
    return ValidationError(
        _(
            "The contents of this file do not match its .%(extension)s extension; "
            "it may have been renamed or damaged."
        )
        % {"extension": extension},
        code="mismatch",
    )


# --- Videos -------------------------------------------------------------------------


def _looks_like_video(extension: str, head: bytes) -> bool:
    if extension == "mp4":
        # ISO base media file: a box size, then "ftyp".
        return head[4:8] == b"ftyp"
    if extension == "webm":
        # An EBML header whose document type is "webm" (Matroska .mkv says "matroska").
        return head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]
    if extension in ("ogg", "ogv"):
        return head.startswith(b"OggS")
    return False


def video_validate(upload: UploadedFile | IO[bytes], *, name: str | None = None) -> None:
    """An MP4, WebM or Ogg video, no larger than `MAX_VIDEO_UPLOAD_MB`."""
    probe = _probe(upload, name if name is not None else getattr(upload, "name", ""))
    if probe.extension not in VIDEO_EXTENSIONS:
        raise ValidationError(_("Upload a video in MP4, WebM or Ogg format."), code="type")
    _refuse_empty(probe)
    _refuse_too_large(probe, max_video_bytes(), _("The video is too large: at most %(mb)s MB."))
    if not _looks_like_video(probe.extension, probe.head):
        raise _mismatch(probe.extension)


# --- Attachments ----------------------------------------------------------------------


def _zip_names(upload: UploadedFile | IO[bytes]) -> set[str] | None:
    """The member names of a readable zip archive (only its directory is read), or None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:  # type: ignore[arg-type]
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def _looks_like_attachment(extension: str, head: bytes, upload: UploadedFile | IO[bytes]) -> bool:
    if extension == "pdf":
        # Some producers write a few bytes before the header; readers accept up to 1 KB.
        return b"%PDF-" in head[:1024]
    if extension == "txt":
        # Programs and archives are full of NUL bytes; text never has one.
        return b"\x00" not in head
    if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return False
    names = _zip_names(upload)
    if names is None:
        return False
    if extension == "zip":
        return True
    return "[Content_Types].xml" in names and _OOXML_MAIN_PART[extension] in names


def attachment_validate(upload: UploadedFile | IO[bytes], *, name: str | None = None) -> None:
    """A PDF, Word, Excel, PowerPoint, text or zip file of at most `MAX_ATTACHMENT_UPLOAD_MB`."""
    probe = _probe(upload, name if name is not None else getattr(upload, "name", ""))
    if probe.extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _(
                "Upload a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
                "text (.txt) or ZIP file."
            ),
            code="type",
        )
    _refuse_empty(probe)
    _refuse_too_large(probe, max_attachment_bytes(), _("The file is too large: at most %(mb)s MB."))
    if not _looks_like_attachment(probe.extension, probe.head, upload):
        raise _mismatch(probe.extension)


# --- Images -----------------------------------------------------------------------------


def image_clean(upload: UploadedFile, *, max_side: int, field: str) -> ContentFile[bytes]:
    """The upload decoded and re-encoded (JPEG or PNG, at most `max_side` pixels a side)."""
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    try:
        return image_reencode(upload, max_bytes=IMAGE_MAX_BYTES, max_side=max_side, field=field)
    except ServiceError as error:
        raise ValidationError(error.message, code=error.code or "invalid") from None


def cover_image_clean(upload: UploadedFile) -> ContentFile[bytes]:
    return image_clean(upload, max_side=COVER_MAX_SIDE, field="cover_image")


def instructor_photo_clean(upload: UploadedFile) -> ContentFile[bytes]:
    return image_clean(upload, max_side=PHOTO_MAX_SIDE, field="photo")
