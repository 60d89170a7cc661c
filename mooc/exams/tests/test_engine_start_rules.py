"""Starting needs a published course that is running: its run dates (`starts_at`,
`ends_at`) bound every exam of it, and the landing page says why it cannot start."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from mooc.accounts.models import User
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.exams.models import Attempt, AttemptState, Exam
from mooc.exams.services.attempts import attempt_may_start, attempt_start
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import T0

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def exam() -> Exam:
    course = CourseFactory.create()
    make_bank(course)
    return ExamFactory.create(course=course)


@pytest.fixture
def learner(learner: User, exam: Exam) -> User:
    """The shared learner, enrolled in the exam's course."""
    EnrollmentFactory.create(user=learner, course=exam.course)
    return learner


def _refusal(exam: Exam, user: User, now: dt.datetime) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        attempt_start(exam=exam, user=user, now=now)
    return caught.value


def test_an_unpublished_course_refuses_to_start(exam: Exam, learner: User) -> None:
    exam.course.is_published = False
    exam.course.save(update_fields=["is_published"])

    error = _refusal(exam, learner, T0)

    assert error.code == "course_unpublished"
    assert error.message == "This course is not published."
    assert not Attempt.objects.exists()


def test_staff_get_no_exception_in_an_unpublished_course(exam: Exam, learner: User) -> None:
    exam.course.is_published = False
    exam.course.save(update_fields=["is_published"])
    learner.is_superuser = learner.is_staff = True
    learner.save(update_fields=["is_superuser", "is_staff"])

    assert _refusal(exam, learner, T0).code == "course_unpublished"


def test_a_course_that_has_not_started_refuses_and_says_when_it_starts(
    exam: Exam, learner: User
) -> None:
    course = exam.course
    course.starts_at = T0 + dt.timedelta(days=1)  # 2026-03-03 08:00 WIB
    course.save(update_fields=["starts_at"])

    with translation.override("id"):
        error = _refusal(exam, learner, T0)

    assert error.code == "course_not_started"
    assert "3 Maret 2026, 8.00" in error.message  # WIB, Indonesian format


def test_a_course_that_has_ended_refuses(exam: Exam, learner: User) -> None:
    course = exam.course
    course.starts_at = T0 - dt.timedelta(days=30)
    course.ends_at = T0 - dt.timedelta(minutes=1)
    course.save(update_fields=["starts_at", "ends_at"])

    error = _refusal(exam, learner, T0)

    assert error.code == "course_ended"
    assert error.message.startswith("This course ended on ")


def test_inside_the_run_dates_the_exam_starts(exam: Exam, learner: User) -> None:
    course = exam.course
    course.starts_at = T0 - dt.timedelta(days=1)
    course.ends_at = T0 + dt.timedelta(days=1)
    course.save(update_fields=["starts_at", "ends_at"])

    assert attempt_start(exam=exam, user=learner, now=T0).number == 1
    # The course's end is exclusive, as `Course.has_ended` says.
    with pytest.raises(ServiceError) as caught:
        attempt_may_start(exam=exam, user=learner, now=course.ends_at)
    assert caught.value.code == "course_ended"


def test_a_running_attempt_is_resumed_even_after_the_course_ends(exam: Exam, learner: User) -> None:
    first = attempt_start(exam=exam, user=learner, now=T0)
    exam.course.ends_at = T0 + dt.timedelta(minutes=5)
    exam.course.save(update_fields=["ends_at"])

    again = attempt_start(exam=exam, user=learner, now=T0 + dt.timedelta(minutes=10))

    assert again.pk == first.pk and again.state == AttemptState.IN_PROGRESS


def test_the_landing_page_shows_why_it_cannot_start(exam: Exam, learner: User) -> None:
    course = exam.course
    course.ends_at = timezone.now() - dt.timedelta(days=1)
    course.starts_at = course.ends_at - dt.timedelta(days=30)
    course.save(update_fields=["starts_at", "ends_at"])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(learner)

    page = client.get(reverse("exams:landing", args=[exam.pk]))
    start = client.post(reverse("exams:start", args=[exam.pk]), follow=True)

    html = page.content.decode()
    assert "This course ended on " in html
    assert reverse("exams:start", args=[exam.pk]) not in html  # no start button
    assert "This course ended on " in start.content.decode()
    assert not Attempt.objects.exists()
