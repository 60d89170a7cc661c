"""Report files on object storage (issue 18, item 5): the evidence of training done
elsewhere and a big export job's file, stored in the bucket and handed out only after
the scope check."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from mooc.accounts.tests.helpers import signed_in
from mooc.core.s3 import PrivateS3Storage
from mooc.core.tests.helpers import fetch, fetched
from mooc.reports.models import ExportState, ExternalTraining, ReportExport
from mooc.reports.tests.support import report_admin, report_learner, report_unit, report_viewer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 bukti pelatihan"


def in_bucket(storage: PrivateS3Storage, name: str) -> bool:
    return bool(
        storage.connection.meta.client.head_object(
            Bucket=storage.bucket_name, Key=f"private/{name}"
        )
    )


def test_the_evidence_is_uploaded_to_the_bucket_and_reaches_staff_in_scope_only(
    s3_private: PrivateS3Storage, client: Client
) -> None:
    jabar, jatim = report_unit("Jawa Barat"), report_unit("Jawa Timur")
    learner = report_learner(unit=jabar)
    signed_in(client, report_admin())
    response = client.post(
        reverse("reports:external_training_new", args=[learner.pk]),
        {
            "title": "Pelatihan Kepemimpinan Pengawas",
            "organiser": "LAN RI",
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-06",
            "jp": "40",
            "certificate_number": "LAN/PKP/2026/77",
            "evidence": SimpleUploadedFile("sertifikat.pdf", PDF, content_type="application/pdf"),
            "reason": "Sertifikat diserahkan unit kepegawaian.",
        },
    )
    assert response.status_code == 302
    training = ExternalTraining.objects.get()
    assert in_bucket(s3_private, training.evidence.name)

    url = reverse("reports:external_training_evidence", args=[training.pk])
    download = client.get(url)
    assert download.status_code == 302
    status, headers, content = fetch(download["Location"])
    assert (status, content) == (200, PDF)
    assert headers["content-type"] == "application/pdf"
    signed_in(client, report_viewer(jatim))
    assert client.get(url).status_code == 404


@override_settings(REPORTS_EXPORT_SYNC_ROWS=2)
def test_a_big_export_is_written_to_the_bucket_and_read_back_by_its_owner(
    s3_private: PrivateS3Storage, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    unit = report_unit("Kanwil Jawa Barat", report_unit("Kementerian"))
    for _ in range(3):
        report_learner(unit=unit)
    signed_in(client, report_admin())
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:export", args=["learners", "xlsx"]), {"year": 2026})
    job = ReportExport.objects.get()
    assert job.state == ExportState.DONE
    assert in_bucket(s3_private, job.file.name)

    download = client.get(reverse("reports:export_download", args=[job.pk]))
    assert download.status_code == 302
    sheet = load_workbook(io.BytesIO(fetched(download)), read_only=True).active
    assert sheet is not None
    assert len(list(sheet.iter_rows(values_only=True))) == 4

    signed_in(client, report_admin())  # another admin: not their job
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404
