"""An optional evaluation on the "Selesai" path: after a passed final exam the learner
is asked for it, and "Nanti saja: buka sertifikat" goes on to the certificate without
sending it. axe-core checks the form, at 360 px and on the desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import check_page, login
from mooc.accounts.tests.factories import PASSWORD, UserFactory
from mooc.certificates.tests.support import course_with_exam, pass_course
from mooc.evaluation.tests.factories import course_with_evaluation

pytestmark = pytest.mark.django_db(transaction=True)


def test_selesai_asks_for_an_optional_evaluation_that_can_wait(page: Page, viewport: str) -> None:
    course, exam = course_with_exam()
    course_with_evaluation(course, required_for_certificate=False)
    learner = UserFactory.create()
    pass_course(learner, course, exam)
    attempt = exam.attempts.get(user=learner)
    login(page, learner.username, PASSWORD, f"/ujian/percobaan/{attempt.pk}/hasil/")
    page.get_by_role("link", name="Selesai").click()
    expect(page.get_by_test_id("evaluation-later")).to_be_visible()
    check_page(page, "evaluation-optional", viewport)
    page.get_by_test_id("evaluation-later").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download Sertifikat")
