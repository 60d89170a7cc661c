"""The start queue in the browser: past the site's starts per second the learner sees
"Menunggu giliran…" with a countdown, and the page starts the exam by itself at their
turn (js/queue.js under the site's CSP, no click)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import Settings

from e2e.pages import check_page
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Course, Enrollment
from mooc.core.admission import admission_take
from mooc.exams.models import Attempt, Exam

pytestmark = pytest.mark.django_db(transaction=True)
COURSE = "etika-pelayanan-publik"


def test_a_learner_past_the_rate_waits_their_turn_and_the_exam_starts_by_itself(
    page: Page, viewport: str, demo_content: None, settings: Settings
) -> None:
    settings.EXAM_START_ADMISSION_RATE = 1
    settings.EXAM_START_ADMISSION_MAX_WAIT = 30
    exam = Exam.objects.get(course__slug=COURSE, is_final=True)
    user = User.objects.create_user(
        username="198203152008011002",
        password="Rahasia123",
        full_name="Dewi Lestari",
        email="dewi@example.go.id",
        employee_type=EmployeeType.INTERNAL,
        unit=Unit.objects.get(code="KW-JABAR-LPS-BDG"),
        activated_at=timezone.now(),
    )
    course = Course.objects.get(slug=COURSE)
    Enrollment.objects.create(user=user, course=course, jp=course.jp, unit=user.unit)
    page.goto(page.base_url + f"/login/?next=/ujian/{exam.pk}/")  # type: ignore[attr-defined]
    page.get_by_label("NIP/Username").fill(user.username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill("Rahasia123")
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()
    expect(page).to_have_url(re.compile(rf"/ujian/{exam.pk}/$"))

    # Other learners hold this second's turn and the next three.
    for other in range(4):
        admission_take(
            "exam-start",
            subject=f"other-{other}",
            rate=1,
            max_wait=30,
        )
    page.get_by_role("button", name="Mulai Quiz").click()

    expect(page.get_by_role("heading", name="Menunggu giliran…")).to_be_visible()
    expect(page.get_by_test_id("queue-message")).to_contain_text("detik")
    assert not Attempt.objects.filter(user=user).exists()
    check_page(page, "exam-start-queue", viewport)

    # No click: the page comes back at the turn, and the exam starts.
    expect(page.get_by_role("heading", name=re.compile(r"^Soal 1 dari"))).to_be_visible(
        timeout=15_000
    )
    assert Attempt.objects.filter(user=user).count() == 1
