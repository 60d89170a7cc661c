"""Handing over private files (materials, videos, certificates) after a permission check.

The caller checks permissions, then returns `private_file_response(...)`. In
production nginx sends the bytes (X-Accel-Redirect to an `internal` location,
see docs/operations.md); in development Django streams them itself, honouring
HTTP range requests so video seeking works.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_SIZE = 64 * 1024


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage for private files: they have no URL, by construction."""

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Private files have no public URL; serve them with private_file_response()."
        )


def private_storage() -> Storage:
    return storages["private"]


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive for a single satisfiable range, else None.

    Multiple ranges are not supported; such requests get the whole file, which
    RFC 9110 allows.
    """
    match = _RANGE.match(header.strip())
    if not match:
        raise ValueError("unsupported range")
    first_s, last_s = match.groups()
    if not first_s and not last_s:
        raise ValueError("empty range")
    if not first_s:  # suffix: the last N bytes
        length = int(last_s)
        if length == 0:
            return None
        return max(size - length, 0), size - 1
    first = int(first_s)
    last = int(last_s) if last_s else size - 1
    if first >= size or last < first:
        return None
    return first, min(last, size - 1)


def _stream(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def private_file_response(
    request: HttpRequest,
    name: str,
    *,
    download_name: str | None = None,
    as_attachment: bool = False,
    content_type: str | None = None,
) -> HttpResponseBase:
    storage = private_storage()
    try:
        exists = bool(name) and storage.exists(name)
    except SuspiciousFileOperation:
        exists = False
    if not exists:
        raise Http404
    filename = download_name or name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    disposition = content_disposition_header(as_attachment, filename)

    if settings.PRIVATE_MEDIA_USE_ACCEL:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_ACCEL_PREFIX + quote(name)
        if disposition:
            response["Content-Disposition"] = disposition
        return response

    size = storage.size(name)
    range_header = request.META.get("HTTP_RANGE", "")
    if range_header:
        try:
            wanted = _parse_range(range_header, size)
        except ValueError:
            wanted = (0, size - 1) if size else None
        if wanted is None:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        first, last = wanted
        length = last - first + 1
        stream = StreamingHttpResponse(
            _stream(storage.open(name, "rb"), first, length),
            status=206,
            content_type=content_type,
        )
        stream["Content-Length"] = str(length)
        stream["Content-Range"] = f"bytes {first}-{last}/{size}"
        stream["Accept-Ranges"] = "bytes"
        if disposition:
            stream["Content-Disposition"] = disposition
        return stream

    full = FileResponse(
        storage.open(name, "rb"),
        as_attachment=as_attachment,
        filename=filename,
        content_type=content_type,
    )
    full["Accept-Ranges"] = "bytes"
    return full
