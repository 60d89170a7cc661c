"""Private files on S3-compatible object storage (issue 18, item 5), against a real S3
server on loopback (moto's server mode, the `s3_server` fixture): what is stored where,
and how a permission-checked view hands a file over, as a presigned redirect or
streamed by the application with Range requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404
from django.test import RequestFactory
from pytest_django import Settings

from mooc.core.files import private_file_response, private_storage
from mooc.core.s3 import PrivateS3Storage
from mooc.core.tests.helpers import fetch

DATA = bytes(range(256)) * 300  # 76,800 bytes: more than one 64 KiB chunk


def get(range_header: str | None = None) -> WSGIRequest:
    extra: dict[str, Any] = {"HTTP_RANGE": range_header} if range_header else {}
    return RequestFactory().get("/", **extra)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def video(s3_private: PrivateS3Storage) -> str:
    name: str = s3_private.save("videos/pembukaan.mp4", ContentFile(DATA))
    return name


def test_an_upload_lands_in_the_bucket_under_the_private_prefix_and_stays_private(
    s3_private: PrivateS3Storage, video: str, s3_server: str
) -> None:
    client = s3_private.connection.meta.client
    head = client.head_object(Bucket=s3_private.bucket_name, Key=f"private/{video}")
    assert head["ContentLength"] == len(DATA)
    assert head["ContentType"] == "video/mp4"
    grants = client.get_object_acl(Bucket=s3_private.bucket_name, Key=f"private/{video}")["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers/AuthenticatedUsers
    status, _, _ = fetch(f"{s3_server}/{s3_private.bucket_name}/private/{video}")
    assert status == 403  # nobody reads it without a signature


def test_a_second_file_of_the_same_name_does_not_replace_the_first(
    s3_private: PrivateS3Storage, video: str
) -> None:
    second = s3_private.save("videos/pembukaan.mp4", ContentFile(b"other"))
    assert second != video
    with s3_private.open(video, "rb") as handle:
        assert handle.read() == DATA


def test_private_files_have_no_public_url(s3_private: PrivateS3Storage, video: str) -> None:
    with pytest.raises(ValueError):
        s3_private.url(video)


def test_the_permission_checked_view_redirects_to_a_short_lived_presigned_link(
    s3_private: PrivateS3Storage, video: str, s3_server: str
) -> None:
    response = private_file_response(
        get(), video, download_name="Pembukaan kelas.mp4", as_attachment=True
    )
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    location = response["Location"]
    assert location.startswith(f"{s3_server}/{s3_private.bucket_name}/private/videos/")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    status, headers, content = fetch(location)
    assert status == 200
    assert content == DATA
    assert headers["content-type"] == "video/mp4"
    assert headers["content-disposition"] == 'attachment; filename="Pembukaan kelas.mp4"'


def test_the_presigned_link_serves_range_requests_so_seeking_works(
    s3_private: PrivateS3Storage, video: str
) -> None:
    location = private_file_response(get("bytes=1000-1999"), video)["Location"]
    status, headers, content = fetch(location, "bytes=1000-1999")
    assert status == 206
    assert headers["content-range"] == f"bytes 1000-1999/{len(DATA)}"
    assert content == DATA[1000:2000]


def test_the_link_lives_as_configured_and_a_cached_redirect_never_outlives_it(
    s3_private: PrivateS3Storage, video: str, settings: Settings
) -> None:
    settings.PRIVATE_MEDIA_PRESIGNED_SECONDS = 120
    response = private_file_response(get(), video, max_age=3600)
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["120"]
    assert response["Cache-Control"] == "private, max-age=60"


def test_a_head_request_gets_a_link_signed_for_head(
    s3_private: PrivateS3Storage, video: str
) -> None:
    location = private_file_response(RequestFactory().head("/"), video)["Location"]
    # A HeadObject link (moto checks no signatures; real stores refuse a GET link).
    assert "response-content-type" not in location
    status, headers, content = fetch(location, method="HEAD")
    assert (status, content) == (200, b"")
    assert headers["content-length"] == str(len(DATA))


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "videos/missing.mp4", ""])
def test_missing_files_and_names_outside_the_prefix_are_404(
    s3_private: PrivateS3Storage, video: str, name: str
) -> None:
    with pytest.raises(Http404):
        private_file_response(get(), name)


@pytest.fixture
def streamed(s3_private: PrivateS3Storage, video: str, settings: Settings) -> str:
    """Presigning off (S3_PRESIGNED_URLS=false): the application streams from the store.
    X-Accel stays on, as in production: it is for files on the local disk only."""
    settings.PRIVATE_MEDIA_PRESIGNED = False
    return video


def test_streamed_the_whole_file_comes_with_its_length_and_range_support(streamed: str) -> None:
    response = private_file_response(get(), streamed)
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert response["Content-Length"] == str(len(DATA))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == DATA


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=70000-", 70000, len(DATA) - 1),  # open-ended, across a chunk boundary
        ("bytes=-40", len(DATA) - 40, len(DATA) - 1),  # the last 40 bytes
        ("bytes=0-0", 0, 0),
        ("bytes=76000-99999999", 76000, len(DATA) - 1),  # clipped to the end
    ],
)
def test_streamed_a_range_request_gets_206_and_exactly_those_bytes(
    streamed: str, header: str, first: int, last: int
) -> None:
    response = private_file_response(get(header), streamed)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(DATA)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == DATA[first : last + 1]


def test_streamed_a_range_past_the_end_is_unsatisfiable(streamed: str) -> None:
    response = private_file_response(get("bytes=90000-90010"), streamed)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"


def test_streamed_an_empty_file_is_an_empty_200(
    s3_private: PrivateS3Storage, settings: Settings
) -> None:
    settings.PRIVATE_MEDIA_PRESIGNED = False
    name = private_storage().save("attachments/kosong.txt", ContentFile(b""))
    response = private_file_response(get(), name)
    assert response.status_code == 200
    assert body(response) == b""


def test_streamed_a_download_keeps_its_file_name(streamed: str) -> None:
    response = private_file_response(
        get(), streamed, download_name="Modul 1.pdf", as_attachment=True, max_age=600
    )
    assert response["Content-Disposition"] == 'attachment; filename="Modul 1.pdf"'
    assert response["Cache-Control"] == "private, max-age=600"


def test_the_public_endpoint_signs_links_for_the_browsers_host(
    s3_private: PrivateS3Storage, video: str, settings: Settings, s3_server: str
) -> None:
    """MinIO or Ceph behind a reverse proxy: the servers talk to the internal address,
    the link names the public one (the signature covers the host)."""
    options = settings.STORAGES["private"]["OPTIONS"]
    public = PrivateS3Storage(**options, public_endpoint_url="https://files.example.go.id")
    url = public.presigned_url(video, expire=60, content_type="video/mp4", disposition=None)
    assert url.startswith(f"https://files.example.go.id/{s3_private.bucket_name}/private/videos/")
    assert s3_server not in url
