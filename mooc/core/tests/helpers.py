"""Helpers for tests of files on object storage (the `s3_private` fixture, conftest.py)."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any


def fetch(
    url: str, range_header: str | None = None, *, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """What a browser gets when it follows a presigned redirect: status, headers (lower
    case) and body; no cookies, no credentials."""
    headers = {"Range": range_header} if range_header else {}
    request = urllib.request.Request(url, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {}, b""


def fetched(response: Any) -> bytes:
    """The bytes behind a permission-checked file response: the presigned link's
    object for a redirect, else the streamed body."""
    if response.status_code == 302:
        status, _, content = fetch(response["Location"])
        assert status == 200, status
        return content
    return b"".join(response.streaming_content)
