"""The learner's data export on object storage (issue 18, item 5): the zip gathers the
photo and the certificate from the bucket, is stored there, reaches only its owner, and
the retention job deletes it there."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from mooc.core.s3 import PrivateS3Storage
from mooc.core.tests.helpers import fetched
from mooc.privacy.models import DataExport, DataExportState
from mooc.privacy.tests.support import OTHER_NIP, PHOTO_BYTES, client_for, history

pytestmark = pytest.mark.django_db


def test_the_export_zip_is_built_from_and_into_the_bucket(
    s3_private: PrivateS3Storage, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        mine = history()
    client = client_for(mine.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_request"))
    export = DataExport.objects.get()
    assert export.state == DataExportState.DONE, export.error
    bucket = s3_private.connection.meta.client
    assert bucket.head_object(Bucket=s3_private.bucket_name, Key=f"private/{export.file.name}")

    download = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert download.status_code == 302
    assert "no-store" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(fetched(download)))
    assert archive.read("files/photo.jpg") == PHOTO_BYTES
    assert any(name.endswith(".pdf") for name in archive.namelist())

    with django_capture_on_commit_callbacks(execute=True):
        other = history(username=OTHER_NIP, email="joko@example.go.id")
    refused = client_for(other.user).get(reverse("privacy:export_download", args=[export.pk]))
    assert refused.status_code == 404

    name = str(export.file.name)
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=export.created_at - dt.timedelta(days=1)
    )
    call_command(
        "run_periodic_jobs", job=["purge-expired-data-exports"], force=True, stdout=io.StringIO()
    )
    assert not s3_private.exists(name)
