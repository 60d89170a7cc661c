"""Certificates on object storage (issue 18, item 5): the design's pictures read from the
bucket into the PDF, the PDF stored there, and the course's zip built and handed out
from there; no file path anywhere."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from mooc.accounts.tests.factories import UserFactory
from mooc.certificates.models import Certificate, CertificateDesign, CertificateExport, ExportState
from mooc.certificates.tests.support import client_for, course_with_exam, pass_course, staff_of
from mooc.core.s3 import PrivateS3Storage
from mooc.core.tests.helpers import fetched

pytestmark = pytest.mark.django_db

ASSETS = Path(__file__).resolve().parent.parent / "demo_assets"


def images_in(pdf: bytes) -> int:
    page: Any = PdfReader(io.BytesIO(pdf)).pages[0]
    return len(page["/Resources"].get("/XObject", {}))


def test_pdf_with_the_designs_pictures_and_the_zip_live_in_the_bucket(
    s3_private: PrivateS3Storage, django_capture_on_commit_callbacks: Any
) -> None:
    course, exam = course_with_exam()
    design = CertificateDesign(name="Bawaan", is_default=True, signatory_name="Dr. Asep")
    design.logo.save("logo.png", ContentFile((ASSETS / "logo.png").read_bytes()), save=False)
    design.signature_image.save(
        "ttd.png", ContentFile((ASSETS / "signature.png").read_bytes()), save=False
    )
    design.save()
    holder = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(holder, course, exam)
    certificate = Certificate.objects.select_related("current_version").get()
    version = certificate.current_version
    assert version is not None and version.pdf.name

    bucket = s3_private.connection.meta.client
    for name in (design.logo.name, design.signature_image.name, version.pdf.name):
        assert bucket.head_object(Bucket=s3_private.bucket_name, Key=f"private/{name}")

    download = client_for(holder).get(reverse("certificates:download", args=[certificate.pk]))
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert images_in(download.content) >= 2  # logo and signature, read from the bucket

    instructor = client_for(staff_of(course))
    with django_capture_on_commit_callbacks(execute=True):
        instructor.post(reverse("admin:certificates_certificateexport_add"), {"course": course.pk})
    export = CertificateExport.objects.get()
    assert export.state == ExportState.DONE
    assert bucket.head_object(Bucket=s3_private.bucket_name, Key=f"private/{export.file.name}")
    response = instructor.get(
        reverse("admin:certificates_certificateexport_download", args=[export.pk])
    )
    assert response.status_code == 302  # a presigned link, after the permission check
    archive = zipfile.ZipFile(io.BytesIO(fetched(response)))
    (name,) = archive.namelist()
    assert archive.read(name).startswith(b"%PDF")

    other_course, _exam = course_with_exam()
    stranger = client_for(staff_of(other_course))
    refused = stranger.get(
        reverse("admin:certificates_certificateexport_download", args=[export.pk])
    )
    assert refused.status_code == 404
