"""The exam-day pages' SQL budgets, exact: on exam day each learner loads these once
within a minute or two of everybody else (issue 18), so a query more is thousands more.

The same for an exam of 5 questions as for one of 40. Site settings are cached first and
one page is loaded before measuring (the session's last-seen time, the exam cache), so
these are the pages' own queries. The exam and its course come from the process's exam
cache (selectors.attempts.exam_get): they are read once per EXAM_CACHE_SECONDS."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.selectors import site_settings_get
from mooc.exams.models import Attempt, Exam
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db

NumQueries = Callable[[int], AbstractContextManager[object]]


@pytest.fixture(params=[5, 40], ids=["5-questions", "40-questions"])
def exam(request: pytest.FixtureRequest) -> Exam:
    course = CourseFactory.create()
    make_bank(course, size=request.param)
    return ExamFactory.create(course=course, question_count=request.param, is_final=True)


@pytest.fixture
def client_at(exam: Exam) -> Client:
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=exam.course)
    # Another learner's start, question page and submit: the snapshots, their texts and
    # weights are known to the process, as on exam day after the first learner.
    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=exam.course)
    other_attempt = attempt_start(exam=exam, user=other)
    other_client = Client()
    other_client.force_login(other)
    other_client.get(reverse("exams:question", args=[other_attempt.pk, 1]))
    other_client.post(reverse("exams:submit", args=[other_attempt.pk]))
    client = Client()
    client.force_login(user)
    client.get(reverse("exams:landing", args=[exam.pk]))
    site_settings_get()
    return client


def test_start_budget(exam: Exam, client_at: Client, django_assert_num_queries: NumQueries) -> None:
    # User; enrolment (may study); the learner's attempts; the enrolment's result; the
    # exam's quotas and categories; the pool with versions; savepoint, attempt, draw,
    # release (Django's test transaction turns the atomic block into a savepoint).
    with django_assert_num_queries(10):
        response = client_at.post(reverse("exams:start", args=[exam.pk]))
    assert response.status_code == 302 and "/soal/1/" in response["Location"]


def _started(exam: Exam, client_at: Client) -> Attempt:
    client_at.post(reverse("exams:start", args=[exam.pk]))
    return Attempt.objects.latest("pk")


def test_question_page_budget(
    exam: Exam, client_at: Client, django_assert_num_queries: NumQueries
) -> None:
    attempt = _started(exam, client_at)
    # User; the attempt; its draw with the answers (the texts are cached snapshots).
    with django_assert_num_queries(3):
        response = client_at.get(reverse("exams:question", args=[attempt.pk, 1]))
    assert response.status_code == 200
    assert response.content.decode().count('<template id="exam-q-') == exam.question_count


def test_submit_and_result_budgets(
    exam: Exam, client_at: Client, django_assert_num_queries: NumQueries
) -> None:
    attempt = _started(exam, client_at)
    # User; the attempt; the grid of answers.
    with django_assert_num_queries(3):
        assert client_at.get(reverse("exams:submit", args=[attempt.pk])).status_code == 200
    # User; the attempt; then grading: savepoint, the attempt locked, its draw with answers,
    # the grade, the enrolment locked, the best score, the enrolment's score, release.
    with django_assert_num_queries(10):
        response = client_at.post(reverse("exams:submit", args=[attempt.pk]))
    assert response.status_code == 302
    # User; the attempt; the learner's attempts; the enrolment's result (the start rules);
    # the pre-test's score.
    with django_assert_num_queries(5):
        assert client_at.get(reverse("exams:result", args=[attempt.pk])).status_code == 200
