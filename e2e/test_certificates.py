"""Seed 000 "SERTIFIKAT" and seed 001 E.3–E.4: pass → "Selesai" → "Download Sertifikat"
→ the PDF; its verification page as a visitor; a correction and a revocation by an admin,
each seen on the public verification page."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from e2e.pages import VIEWPORTS, check_page, login, pass_second_step, staff_device
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Course, Enrollment
from mooc.certificates.demo import attempt_answer_correctly
from mooc.certificates.models import Certificate
from mooc.exams.models import Exam
from mooc.exams.services.attempts import attempt_start

pytestmark = pytest.mark.django_db(transaction=True)
COURSE = "etika-pelayanan-publik"
NIP = "197905102006042002"


def answer_everything_right(user: User, exam: Exam) -> int:
    attempt = attempt_start(exam=exam, user=user)
    attempt_answer_correctly(attempt=attempt, user=user)
    return attempt.pk


def test_pass_download_verify_correct_and_revoke(
    page: Page, browser: Browser, viewport: str, demo_content: None
) -> None:
    base = page.base_url  # type: ignore[attr-defined]
    course = Course.objects.get(slug=COURSE)
    learner = User.objects.create_user(
        username=NIP,
        password="Rahasia123",
        full_name="Sri Rahayu",
        email="sri@example.go.id",
        employee_type=EmployeeType.INTERNAL,
        unit=Unit.objects.get(code="KW-JABAR-LPS-BDG"),
        activated_at=timezone.now(),
    )
    Enrollment.objects.create(user=learner, course=course, jp=course.jp, unit=learner.unit)
    exam = Exam.objects.get(course=course, is_final=True)
    attempt_id = answer_everything_right(learner, exam)

    # The learner submits, passes and follows "Selesai" to the certificate page.
    login(page, NIP, "Rahasia123", f"/ujian/percobaan/{attempt_id}/kirim/")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Lulus", exact=True).first).to_be_visible()
    check_page(page, "certificate-result-passed", viewport)
    page.get_by_role("link", name="Selesai").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download Sertifikat")
    check_page(page, "certificate-page", viewport)

    certificate = Certificate.objects.get(user=learner)
    assert certificate.number
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Sertifikat").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Sri Rahayu" in text and certificate.number in text and course.title in text

    # The same button under "Sertifikat" in the menu.
    page.goto(base + "/sertifikat/")
    expect(page.get_by_role("link", name=re.compile("Download Sertifikat"))).to_have_count(1)
    check_page(page, "certificate-list", viewport)

    # The printed verification address, opened by a visitor (no login).
    printed = page.goto(base + f"/sertifikat/{certificate.pk}/")
    assert printed is not None
    link = page.get_by_role("link", name=re.compile("verifikasi"))
    verification_path = re.sub(r"^https?://[^/]+", "", link.inner_text())
    assert verification_path == f"/verifikasi/{certificate.code}/"
    visitor_context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")  # type: ignore[arg-type]
    visitor = visitor_context.new_page()
    visitor.goto(base + verification_path)
    expect(visitor.get_by_role("heading", name="Sah")).to_be_visible()
    expect(visitor.get_by_test_id("holder-name")).to_have_text("Sri Rahayu")
    expect(visitor.get_by_text(NIP)).to_have_count(0)
    check_page(visitor, "verification-valid", viewport)

    # An admin corrects the name and reissues; the verification page follows.
    User.objects.create_superuser(username="adminsert", password="AdminDemo2026", email="")
    staff_device("adminsert")
    learner.full_name = "Dr. Sri Rahayu, S.H., M.H."
    learner.save()
    admin_context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="id-ID")  # type: ignore[arg-type]
    admin = admin_context.new_page()
    admin.base_url = base  # type: ignore[attr-defined]
    login(
        admin,
        "adminsert",
        "AdminDemo2026",
        f"/admin/certificates/certificate/{certificate.pk}/change/",
    )
    pass_second_step(admin, "adminsert")
    admin.get_by_role("link", name="Terbitkan ulang").click()
    admin.get_by_label("Alasan").fill("Gelar akademik belum tercantum")
    admin.get_by_role("button", name="Terbitkan ulang").click()
    expect(admin.get_by_text("Sertifikat telah diterbitkan ulang.")).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_test_id("holder-name")).to_have_text("Dr. Sri Rahayu, S.H., M.H.")

    # Revoked: the verification page says so.
    admin.get_by_role("link", name="Cabut").click()
    admin.get_by_label("Alasan").fill("Diterbitkan untuk peserta yang salah")
    admin.get_by_role("button", name="Cabut").click()
    expect(admin.get_by_text("Sertifikat telah dicabut.")).to_be_visible()
    visitor.reload()
    expect(visitor.get_by_role("heading", name="Dicabut")).to_be_visible()
    check_page(visitor, "verification-revoked", viewport)

    # The learner's cards say "Dicabut" and offer no download; the page explains.
    page.goto(base + reverse("catalog:my_courses") + "?tab=selesai")
    expect(page.get_by_test_id("certificate-revoked")).to_have_text("Dicabut")
    expect(page.get_by_role("link", name=re.compile("Download Sertifikat"))).to_have_count(0)
    check_page(page, "my-courses-certificate-revoked", viewport)
    page.get_by_role("link", name=re.compile("Sertifikat dicabut: mengapa?")).click()
    expect(page.get_by_test_id("revoked-explained")).to_contain_text(
        "Diterbitkan untuk peserta yang salah"
    )
    check_page(page, "certificate-page-revoked", viewport)

    # A guessed code finds nothing.
    visitor.goto(base + "/verifikasi/AAAABBBBCCCCDDDD/")
    expect(visitor.get_by_text("Sertifikat tidak ditemukan")).to_be_visible()
    check_page(visitor, "verification-not-found", viewport)
    visitor_context.close()
    admin_context.close()
