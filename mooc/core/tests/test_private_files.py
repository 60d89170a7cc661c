from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404, HttpResponse
from django.test import RequestFactory, override_settings
from pytest_django import Settings

from mooc.core.files import private_file_response, private_storage

DATA = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def stored(tmp_path: Path, settings: Settings) -> Iterator[str]:
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "mooc.core.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.PRIVATE_MEDIA_USE_ACCEL = False
    name = private_storage().save("materials/video.mp4", ContentFile(DATA))
    yield name


def get(range_header: str | None = None) -> WSGIRequest:
    extra: dict[str, Any] = {"HTTP_RANGE": range_header} if range_header else {}
    return RequestFactory().get("/", **extra)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_whole_file_is_sent_with_range_support_announced(stored: str) -> None:
    response = private_file_response(get(), stored)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == DATA


def test_a_range_request_gets_exactly_those_bytes(stored: str) -> None:
    response = private_file_response(get("bytes=100-199"), stored)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(DATA)}"
    assert response["Content-Length"] == "100"
    assert body(response) == DATA[100:200]


def test_open_ended_and_suffix_ranges(stored: str) -> None:
    assert body(private_file_response(get("bytes=10000-"), stored)) == DATA[10000:]
    tail = private_file_response(get("bytes=-40"), stored)
    assert tail["Content-Range"] == f"bytes {len(DATA) - 40}-{len(DATA) - 1}/{len(DATA)}"
    assert body(tail) == DATA[-40:]


def test_a_range_past_the_end_is_unsatisfiable(stored: str) -> None:
    response = private_file_response(get("bytes=20000-20010"), stored)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"


def test_a_malformed_range_gets_the_whole_file(stored: str) -> None:
    response = private_file_response(get("bytes=1-2,5-9"), stored)
    assert response.status_code == 206
    assert body(response) == DATA


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "materials/missing.mp4", ""])
def test_missing_files_and_path_traversal_are_404(stored: str, name: str) -> None:
    with pytest.raises(Http404):
        private_file_response(get(), name)


def test_in_production_nginx_sends_the_file(stored: str) -> None:
    with override_settings(PRIVATE_MEDIA_USE_ACCEL=True, PRIVATE_MEDIA_ACCEL_PREFIX="/_private/"):
        response = private_file_response(
            get(), stored, download_name="Sertifikat Budi.pdf", as_attachment=True
        )
    assert isinstance(response, HttpResponse)  # not streamed: nginx sends the file
    assert response["X-Accel-Redirect"] == "/_private/materials/video.mp4"
    assert response.content == b""
    assert 'attachment; filename="Sertifikat Budi.pdf"' in response["Content-Disposition"]


def test_private_files_have_no_public_url(stored: str) -> None:
    with pytest.raises(ValueError):
        private_storage().url(stored)
