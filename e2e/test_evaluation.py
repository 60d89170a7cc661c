"""Issue 20 in the browser: pre-test → materials → final test → evaluation → certificate;
then an admin reads the course's evaluation and pre-/post-test reports and exports them.
axe-core checks every page, at 360 px and on the desktop."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.pages import check_page, login, pass_second_step
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Course, Enrollment
from mooc.evaluation.demo import DEMO_COURSE
from mooc.evaluation.models import EvaluationResponse
from mooc.exams.models import Attempt, AttemptQuestion, Exam

pytestmark = pytest.mark.django_db(transaction=True)
NIP = "198705142010012003"
QUESTIONS = 3


def _answer_all(page: Page, attempt: Attempt, *, right: bool) -> None:
    for number in range(1, QUESTIONS + 1):
        expect(page.get_by_role("heading", name=f"Soal {number} dari {QUESTIONS}")).to_be_visible()
        question = AttemptQuestion.objects.select_related("snapshot").get(
            attempt=attempt, position=number - 1
        )
        options = question.shown_options
        chosen = [o.position for o in options if (o.weight > 0) == right][
            : 1 if not right else None
        ]
        for position in chosen:
            page.locator(f"#option-{position}").check()
        expect(page.locator("#save-state")).to_have_text("Tersimpan")
        if number < QUESTIONS:
            page.get_by_role("button", name="Selanjutnya").click()
    page.locator("#exam-form").get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Submit").click()


def test_pretest_materials_final_evaluation_certificate_then_the_admin_reports(
    page: Page, viewport: str, demo_content: None
) -> None:
    base = page.base_url  # type: ignore[attr-defined]
    course = Course.objects.get(slug=DEMO_COURSE)
    Exam.objects.filter(course=course).update(question_count=QUESTIONS)
    pretest = Exam.objects.get(course=course, is_pretest=True)
    final = Exam.objects.get(course=course, is_final=True)
    learner = User.objects.create_user(
        username=NIP,
        password="Rahasia123",
        full_name="Nadia Kartika",
        email="nadia@example.go.id",
        employee_type=EmployeeType.INTERNAL,
        unit=Unit.objects.get(code="KW-JABAR-LPS-BDG"),
        activated_at=timezone.now(),
    )
    Enrollment.objects.create(user=learner, course=course, jp=course.jp, unit=learner.unit)

    # The player offers the pre-test before the materials.
    login(page, NIP, "Rahasia123", f"/belajar/{DEMO_COURSE}/")
    offer = page.get_by_test_id("pretest-offer")
    expect(offer).to_be_visible()
    check_page(page, "evaluation-pretest-offer", viewport)
    offer.get_by_role("link").click()
    check_page(page, "evaluation-pretest-landing", viewport)
    page.get_by_role("button", name="Mulai Quiz").click()
    _answer_all(page, Attempt.objects.get(user=learner, exam=pretest), right=False)
    expect(page.get_by_test_id("score")).to_have_text("0")
    check_page(page, "evaluation-pretest-result", viewport)

    # On to the materials: the offer is gone.
    page.get_by_test_id("to-materials").click()
    page.goto(base + f"/belajar/{DEMO_COURSE}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_test_id("pretest-offer")).to_have_count(0)
    check_page(page, "evaluation-materials", viewport)

    # The final test: passed, with the gain over the pre-test.
    page.goto(base + f"/ujian/{final.pk}/")
    page.get_by_role("button", name="Mulai Quiz").click()
    _answer_all(page, Attempt.objects.get(user=learner, exam=final), right=True)
    expect(page.get_by_test_id("status")).to_have_text("Lulus")
    expect(page.get_by_test_id("gain")).to_have_text("+100")
    check_page(page, "evaluation-final-result", viewport)

    # "Selesai" leads to the evaluation first; sending it opens the certificate.
    page.get_by_role("link", name="Selesai").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluasi Kursus")
    check_page(page, "evaluation-form", viewport)
    page.get_by_test_id("evaluation-send").click()  # nothing chosen: every item is marked
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert not EvaluationResponse.objects.filter(user=learner).exists()
    check_page(page, "evaluation-form-errors", viewport)
    for radio in page.locator("input[type=radio][value='4']").all():
        page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    page.get_by_label(re.compile("^Saran untuk perbaikan")).fill("Materi sangat bermanfaat.")
    page.get_by_test_id("evaluation-send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download Sertifikat")
    assert EvaluationResponse.objects.get(user=learner).submitted_at is not None
    check_page(page, "evaluation-certificate", viewport)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Sertifikat").click()
    assert download_info.value.suggested_filename.endswith(".pdf")

    # An admin reads the evaluation and the gain report, and exports them.
    page.context.clear_cookies()
    login(page, "admin", "AdminDemo2026", f"/laporan/kursus/{course.pk}/evaluasi/")
    pass_second_step(page, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.get_by_text("Materi sangat bermanfaat.")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert "Nadia Kartika" not in page.content()  # the demo course's evaluation is anonymous
    check_page(page, "evaluation-report", viewport)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        text = handle.read()
    assert "Materi sangat bermanfaat." in text and "Nadia Kartika" not in text

    page.get_by_role("link", name="Pre-test dan ujian akhir").click()
    expect(page.locator("#fig-both")).not_to_have_text("0")
    check_page(page, "evaluation-gain-report", viewport)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").click()
    assert download_info.value.suggested_filename.startswith("pre-post-")
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"
