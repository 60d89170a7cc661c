"""Object storage is chosen by environment variables alone; without them nothing changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
NAMES = ["STORAGES", "PRIVATE_MEDIA_USE_ACCEL", "PRIVATE_MEDIA_PRESIGNED", "CSP"]


def settings_with(env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """config.settings imported in a fresh interpreter with exactly this environment."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(json.dumps({'STORAGES': s.STORAGES, 'PRIVATE_MEDIA_USE_ACCEL':"
        " s.PRIVATE_MEDIA_USE_ACCEL, 'PRIVATE_MEDIA_PRESIGNED': s.PRIVATE_MEDIA_PRESIGNED,"
        " 'CSP': s.CONTENT_SECURITY_POLICY, 'loaded': 'boto3' in __import__('sys').modules},"
        " default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "false", "SECRET_KEY": "k" * 60, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return (json.loads(done.stdout) if done.returncode == 0 else {}), done.stderr


def test_without_s3_variables_private_files_stay_on_the_local_disk() -> None:
    found, error = settings_with({})
    assert found, error
    assert found["STORAGES"]["private"]["BACKEND"] == "mooc.core.files.PrivateFileSystemStorage"
    assert found["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert found["PRIVATE_MEDIA_USE_ACCEL"] is True
    assert found["CSP"]["media-src"] == ["'self'"]
    assert found["loaded"] is False  # boto3 is not even imported


def test_s3_variables_put_private_files_in_the_bucket_and_allow_its_origin() -> None:
    found, error = settings_with(
        {
            "S3_BUCKET": "mooc-private",
            "S3_ENDPOINT_URL": "http://minio.internal:9000",
            "S3_PUBLIC_ENDPOINT_URL": "https://files.example.go.id",
            "S3_ADDRESSING_STYLE": "path",
            "S3_ACCESS_KEY_ID": "mooc",
            "S3_SECRET_ACCESS_KEY": "rahasia",
        }
    )
    assert found, error
    private = found["STORAGES"]["private"]
    assert private["BACKEND"] == "mooc.core.s3.PrivateS3Storage"
    assert private["OPTIONS"]["bucket_name"] == "mooc-private"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["endpoint_url"] == "http://minio.internal:9000"
    assert private["OPTIONS"]["public_endpoint_url"] == "https://files.example.go.id"
    assert found["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")  # media stay
    assert found["PRIVATE_MEDIA_USE_ACCEL"] is False  # nginx has no such files to send
    assert found["PRIVATE_MEDIA_PRESIGNED"] is True
    assert "https://files.example.go.id" in found["CSP"]["media-src"]
    assert "https://files.example.go.id" in found["CSP"]["img-src"]


def test_aws_without_an_endpoint_allows_the_buckets_aws_host() -> None:
    found, error = settings_with(
        {"S3_BUCKET": "mooc-private", "S3_REGION": "ap-southeast-3", "S3_MEDIA_BUCKET": "mooc-pub"}
    )
    assert found, error
    assert "https://mooc-private.s3.ap-southeast-3.amazonaws.com" in found["CSP"]["media-src"]
    media = found["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "mooc-pub"
    assert media["OPTIONS"]["querystring_auth"] is False


def test_streaming_instead_of_presigning_adds_no_origin() -> None:
    found, error = settings_with({"S3_BUCKET": "mooc-private", "S3_PRESIGNED_URLS": "false"})
    assert found, error
    assert found["PRIVATE_MEDIA_PRESIGNED"] is False
    assert found["CSP"]["media-src"] == ["'self'"]


def test_nonsense_is_refused_at_start() -> None:
    for env in (
        {"S3_BUCKET": "b", "S3_ADDRESSING_STYLE": "sideways"},
        {"S3_BUCKET": "b", "S3_PRESIGNED_SECONDS": "1"},
    ):
        found, error = settings_with(env)
        assert not found
        assert "ImproperlyConfigured" in error
