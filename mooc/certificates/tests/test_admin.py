"""Corrections, revocation, designs and zip exports in the admin."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mooc.accounts.roles import ROLE_ADMIN, ROLE_INSTRUCTOR
from mooc.accounts.tests.factories import UserFactory
from mooc.certificates.models import (
    Certificate,
    CertificateDesign,
    CertificateExport,
    CertificateState,
    ExportState,
)
from mooc.certificates.tests.support import (
    client_for,
    course_with_exam,
    pass_course,
    pdf_text,
    staff_of,
)
from mooc.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(django_capture_on_commit_callbacks: Any) -> Certificate:
    course, exam = course_with_exam()
    holder = UserFactory.create()
    holder.full_name = "Rina Wulandri"  # misspelt
    holder.save()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(holder, course, exam)
    return Certificate.objects.select_related("user", "course").get()


def test_reissue_after_a_name_correction_keeps_number_and_earlier_version(
    issued: Certificate, django_capture_on_commit_callbacks: Any
) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    client = client_for(admin)
    url = reverse("admin:certificates_certificate_reissue", args=[issued.pk])
    # No reason: refused with a message, nothing written.
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert issued.versions.count() == 1

    issued.user.full_name = "Dr. Rina Wulandari, S.H., M.H."
    issued.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Nama salah ketik dan gelar belum ada"})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.versions.count() == 2
    current = issued.current_version
    assert current is not None and current.version == 2
    assert current.holder_name == "Dr. Rina Wulandari, S.H., M.H."
    assert current.pdf.name  # rendered after the commit
    first = issued.versions.get(version=1)
    assert first.holder_name == "Rina Wulandri"

    verify = Client().get(reverse("certificates:verify", args=[issued.code]))
    assert "Dr. Rina Wulandari, S.H., M.H." in verify.content.decode()
    download = client_for(issued.user).get(reverse("certificates:download", args=[issued.pk]))
    text = pdf_text(download.content)
    assert "Rina Wulandari" in text and issued.number in text  # type: ignore[operator]

    entry = AuditLog.objects.get(action="certificate.reissue")
    assert entry.actor == admin
    assert entry.reason == "Nama salah ketik dan gelar belum ada"
    assert entry.before and entry.before["holder_name"] == "Rina Wulandri"
    page = client.get(reverse("admin:certificates_certificate_change", args=[issued.pk]))
    assert page.status_code == 200
    assert "?versi=1" in page.content.decode()


def test_revoke_needs_a_reason_and_is_audited(issued: Certificate) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    client = client_for(admin)
    url = reverse("admin:certificates_certificate_revoke", args=[issued.pk])
    client.post(url, {"reason": ""})
    issued.refresh_from_db()
    assert issued.state == CertificateState.VALID

    assert client.post(url, {"reason": "Peserta dinyatakan curang"}).status_code == 302
    issued.refresh_from_db()
    assert issued.state == CertificateState.REVOKED and issued.revoked_at is not None
    assert AuditLog.objects.filter(action="certificate.revoke", reason__contains="curang").exists()
    # Once revoked, no reissue or second revocation.
    again = client.post(url, {"reason": "lagi"})
    assert again.status_code == 200
    assert AuditLog.objects.filter(action="certificate.revoke").count() == 1


def test_instructors_see_their_course_certificates_but_cannot_correct_them(
    issued: Certificate,
) -> None:
    own = client_for(staff_of(issued.course))
    assert own.get(reverse("admin:certificates_certificate_changelist")).status_code == 200
    change = reverse("admin:certificates_certificate_change", args=[issued.pk])
    assert own.get(change).status_code == 200
    reissue = reverse("admin:certificates_certificate_reissue", args=[issued.pk])
    assert own.post(reissue, {"reason": "x"}).status_code == 403

    other_course, _exam = course_with_exam()
    other = client_for(staff_of(other_course))
    listing = other.get(reverse("admin:certificates_certificate_changelist"))
    assert issued.number not in listing.content.decode()  # type: ignore[operator]
    assert other.get(change).status_code == 404
    assert other.post(reissue, {"reason": "x"}).status_code == 404


def test_bulk_zip_of_a_course(issued: Certificate, django_capture_on_commit_callbacks: Any) -> None:
    course, exam = issued.course, issued.course.exams.get()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            pass_course(UserFactory.create(), course, exam)
    instructor = staff_of(course)
    client = client_for(instructor)
    add = reverse("admin:certificates_certificateexport_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {"course": course.pk})
    assert response.status_code == 302
    export = CertificateExport.objects.get()
    assert export.state == ExportState.DONE and (export.done, export.total) == (3, 3)
    progress = client.get(
        reverse("admin:certificates_certificateexport_progress", args=[export.pk])
    ).json()
    assert progress == {"state": "done", "done": 3, "total": 3, "percent": 100}

    download = client.get(
        reverse("admin:certificates_certificateexport_download", args=[export.pk])
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    names = archive.namelist()
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    assert archive.read(names[0]).startswith(b"%PDF")

    # Another course's instructor may neither start nor fetch it.
    other_course, _exam = course_with_exam()
    other = client_for(staff_of(other_course))
    refused = other.post(add, {"course": course.pk})
    assert refused.status_code == 200 and CertificateExport.objects.count() == 1
    assert (
        other.get(
            reverse("admin:certificates_certificateexport_download", args=[export.pk])
        ).status_code
        == 404
    )


def test_design_admin_validates_and_previews(issued: Certificate) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    client = client_for(admin)
    design = CertificateDesign.objects.create(name="Kursus khusus")
    design.courses.add(issued.course)
    add = reverse("admin:certificates_certificatedesign_add")
    form = {
        "name": "Lain",
        "title": "SERTIFIKAT",
        "intro_text": "diberikan kepada",
        "body_text": "atas keberhasilannya",
        "primary_colour": "#0b3d91",
        "text_colour": "#111111",
        "courses": [issued.course.pk],
    }
    clash = client.post(add, form)
    assert clash.status_code == 200
    assert (
        "already use another design" in clash.content.decode()
        or "sudah memakai" in clash.content.decode()
    )
    bad_colour = client.post(add, {**form, "courses": [], "primary_colour": "blue"})
    assert bad_colour.status_code == 200
    assert CertificateDesign.objects.count() == 1

    not_an_image = SimpleUploadedFile("bg.png", b"<script>alert(1)</script>", "image/png")
    upload = client.post(add, {**form, "courses": [], "background": not_an_image})
    assert upload.status_code == 200 and CertificateDesign.objects.count() == 1

    preview = client.get(reverse("admin:certificates_certificatedesign_preview", args=[design.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert "Rina Wulandari" in pdf_text(preview.content)

    # An instructor may not view designs: the preview hides the design as not found.
    instructor = client_for(staff_of(issued.course, ROLE_INSTRUCTOR))
    assert (
        instructor.get(
            reverse("admin:certificates_certificatedesign_preview", args=[design.pk])
        ).status_code
        == 404
    )


def test_resetting_the_passing_attempt_of_a_certified_course_needs_a_revocation_first(
    issued: Certificate,
) -> None:
    from mooc.certificates.services import certificate_revoke
    from mooc.core.errors import ServiceError
    from mooc.exams.models import Attempt
    from mooc.exams.services.staff import attempt_reset

    admin = staff_of(issued.course, ROLE_ADMIN)
    attempt = Attempt.objects.get(user=issued.user)
    with pytest.raises(ServiceError) as caught:
        attempt_reset(attempt=attempt, actor=admin, reason="Ujian diulang")
    assert caught.value.code == "certified"
    assert Attempt.objects.filter(pk=attempt.pk).exists()  # nothing half-done

    certificate_revoke(certificate=issued, actor=admin, reason="Ujian diulang")
    attempt_reset(attempt=attempt, actor=admin, reason="Ujian diulang")
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
