"""Handing over private files (materials, videos, certificates) after a permission check.

The caller checks permissions, then returns `private_file_response(...)`. Where the
files are decides how the bytes travel (docs/operations.md, "Files" and "Object
storage"):

- local disk in production: nginx sends them (X-Accel-Redirect to an `internal`
  location);
- S3-compatible object storage (`mooc.core.s3`) with presigning on: a 302 to a
  short-lived presigned link, and the browser fetches the object from the store
  (Range requests go there too);
- otherwise (development, or presigning off) Django streams them itself, honouring
  HTTP range requests so video seeking works; from object storage it asks for just
  the requested bytes.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from typing import IO, Protocol, runtime_checkable
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
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


@runtime_checkable
class ObjectStorage(Protocol):
    """What private_file_response needs from an object store (mooc.core.s3)."""

    def presigned_url(
        self,
        name: str,
        *,
        expire: int,
        content_type: str,
        disposition: str | None,
        method: str = "GET",
    ) -> str: ...

    def iter_range(self, name: str, first: int, last: int) -> Iterator[bytes]: ...


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
    max_age: int | None = None,
) -> HttpResponseBase:
    """The file `name` of private storage, for a request already allowed to have it.

    `max_age`: seconds the browser may keep the response (privately); a presigned
    redirect is kept no longer than its link stays valid. A missing file, or a
    name that leaves the storage, is a 404.
    """
    storage = private_storage()
    try:
        exists = bool(name) and storage.exists(name)
    except SuspiciousOperation:
        exists = False
    if not exists:
        raise Http404
    filename = download_name or name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    disposition = content_disposition_header(as_attachment, filename)
    cache_control = f"private, max-age={max_age}" if max_age else None

    if isinstance(storage, ObjectStorage) and settings.PRIVATE_MEDIA_PRESIGNED:
        seconds = settings.PRIVATE_MEDIA_PRESIGNED_SECONDS
        redirect = HttpResponseRedirect(
            storage.presigned_url(
                name,
                expire=seconds,
                content_type=content_type,
                disposition=disposition,
                method="HEAD" if request.method == "HEAD" else "GET",
            )
        )
        # The browser may reuse the redirect only while the link behind it works.
        keep = min(max_age or 0, seconds // 2)
        redirect["Cache-Control"] = f"private, max-age={keep}" if keep else "private, no-store"
        return redirect

    if settings.PRIVATE_MEDIA_USE_ACCEL and isinstance(storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_ACCEL_PREFIX + quote(name)
        if disposition:
            response["Content-Disposition"] = disposition
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    size = storage.size(name)
    range_header = request.META.get("HTTP_RANGE", "")
    streamed: HttpResponseBase
    if range_header or isinstance(storage, ObjectStorage):
        wanted: tuple[int, int] | None = (0, size - 1) if size else None
        if range_header:
            try:
                wanted = _parse_range(range_header, size)
            except ValueError:
                pass  # the whole file, as announced in `wanted`
            else:
                if wanted is None:
                    refused = HttpResponse(status=416)
                    refused["Content-Range"] = f"bytes */{size}"
                    return refused
        first, last = wanted if wanted else (0, -1)
        length = last - first + 1
        streamed = StreamingHttpResponse(
            _chunks(storage, name, first, length),
            status=206 if range_header and wanted else 200,
            content_type=content_type,
        )
        streamed["Content-Length"] = str(length)
        if range_header and wanted:
            streamed["Content-Range"] = f"bytes {first}-{last}/{size}"
        if disposition:
            streamed["Content-Disposition"] = disposition
    else:
        streamed = FileResponse(
            storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    streamed["Accept-Ranges"] = "bytes"
    if cache_control:
        streamed["Cache-Control"] = cache_control
    return streamed


def _chunks(storage: Storage, name: str, first: int, length: int) -> Iterator[bytes]:
    if length <= 0:
        return iter(())
    if isinstance(storage, ObjectStorage):
        return storage.iter_range(name, first, first + length - 1)
    return _stream(storage.open(name, "rb"), first, length)
