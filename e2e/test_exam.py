"""Seed 000 "QUIZ" and seed 001 section E: start, answer (saved as chosen), refresh,
submit, result, and "Riwayat Ujian"."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.pages import check_page
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Course, Enrollment
from mooc.exams.models import Attempt, AttemptAnswer, Exam

pytestmark = pytest.mark.django_db(transaction=True)
COURSE = "etika-pelayanan-publik"


def test_a_learner_takes_the_final_exam(page: Page, viewport: str, demo_content: None) -> None:
    course = Course.objects.get(slug=COURSE)
    rina = User.objects.create_user(
        username="197001011995031001",
        password="Rahasia123",
        full_name="Rina Wulandari",
        email="rina@example.go.id",
        employee_type=EmployeeType.INTERNAL,
        unit=Unit.objects.get(code="KW-JABAR-LPS-BDG"),
        activated_at=timezone.now(),
    )
    Enrollment.objects.create(user=rina, course=course, jp=course.jp, unit=rina.unit)
    exam = Exam.objects.get(course=course, is_final=True)
    base = page.base_url  # type: ignore[attr-defined]

    page.goto(base + f"/login/?next=/ujian/{exam.pk}/")
    page.get_by_label("NIP/Username").fill(rina.username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill("Rahasia123")
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_text("Nilai Kelulusan")).to_be_visible()
    check_page(page, "exam-landing", viewport)

    page.get_by_role("button", name="Mulai Quiz").click()
    expect(page.get_by_text(re.compile(r"Soal 1 dari 20"))).to_be_visible()
    expect(page.get_by_text("Sisa Waktu")).to_be_visible()
    check_page(page, "exam-question", viewport)

    with page.expect_response(re.compile(r"/jawab/$")) as saved:
        page.locator("input[name=options]").first.check()
    expect(page.get_by_role("status").filter(has_text=re.compile(r"^Tersimpan$"))).to_be_visible()
    if connection.vendor == "postgresql":  # save tokens are PostgreSQL's
        # Answered in the save lane: the language middleware (Content-Language) never ran.
        assert saved.value.ok and "content-language" not in saved.value.headers
    attempt = Attempt.objects.get(user=rina, exam=exam)
    assert AttemptAnswer.objects.filter(attempt_question__attempt=attempt).count() == 1

    page.reload()
    expect(page.locator("input[name=options]").first).to_be_checked()
    page.get_by_role("button", name="Selanjutnya").click()
    expect(page.get_by_text(re.compile(r"Soal 2 dari 20"))).to_be_visible()

    # Submit asks in place (exam.js), with the grid's count of unanswered questions;
    # "Kembali ke soal" returns to the question, the grid too.
    page.get_by_role("link", name="Submit").click()
    expect(page.get_by_role("heading", name="Kirim jawaban Anda?", level=1)).to_be_focused()
    # The page's one visible h1 is the confirmation's, as on the submit page.
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_text(re.compile("19 dari 20 soal belum dijawab"))).to_be_visible()
    check_page(page, "exam-submit", viewport)
    page.get_by_role("button", name="Kembali ke soal").click()
    expect(page.get_by_text(re.compile(r"Soal 2 dari 20"))).to_be_visible()
    page.get_by_role("link", name="Submit").click()
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_text("Tidak Lulus").first).to_be_visible()
    check_page(page, "exam-result", viewport)
    attempt.refresh_from_db()
    assert attempt.state == "graded" and attempt.passed is False

    page.goto(base + "/ujian/riwayat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riwayat Ujian")
    expect(page.get_by_role("cell", name="Etika Pelayanan Publik")).to_be_visible()
    check_page(page, "exam-history", viewport)
