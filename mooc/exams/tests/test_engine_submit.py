"""Submitting and grading: exactly once, with what was saved, and the enrolment's result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Enrollment
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.core.models import AuditLog
from mooc.exams.models import Attempt, Exam
from mooc.exams.services import submission
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.staff import attempt_extend, exam_extend_running
from mooc.exams.services.submission import (
    attempt_grade_if_expired,
    attempt_submit,
    attempts_grade_expired,
)
from mooc.exams.tasks import grade_expired_attempts
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import T0, right_positions, wrong_positions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def take(exam: Exam, user: User, *, right: int, at: dt.datetime, submit: bool = True) -> Attempt:
    """Start an attempt at `at`, answer `right` of its questions right and the rest wrong."""
    attempt = attempt_start(exam=exam, user=user, now=at)
    good, bad = right_positions(attempt), wrong_positions(attempt)
    for position in sorted(good):
        choice = good[position] if position < right else bad[position]
        answer_save(
            attempt_id=attempt.pk,
            user=user,
            position=position,
            option_positions=[choice],
            client_seq=1,
            now=at,
        )
    if submit:
        return attempt_submit(attempt_id=attempt.pk, user=user, now=at + dt.timedelta(minutes=1))
    return attempt


@pytest.fixture
def setup() -> tuple[Exam, User, Enrollment]:
    course = CourseFactory.create()
    make_bank(course, size=10)
    user = UserFactory.create()
    enrollment = EnrollmentFactory.create(user=user, course=course)
    return (
        ExamFactory.create(course=course, question_count=10, passing_grade=Decimal(70)),
        user,
        enrollment,
    )


def test_a_submit_grades_what_was_saved(setup: tuple[Exam, User, Enrollment]) -> None:
    exam, user, _ = setup
    attempt = take(exam, user, right=7, at=T0)
    assert (attempt.state, attempt.score, attempt.passed) == ("graded", Decimal("70.00"), True)
    assert attempt.graded_at == T0 + dt.timedelta(minutes=1)


def test_unanswered_questions_count_as_wrong(setup: tuple[Exam, User, Enrollment]) -> None:
    exam, user, _ = setup
    attempt = attempt_start(exam=exam, user=user, now=T0)
    graded = attempt_submit(attempt_id=attempt.pk, user=user, now=T0)
    assert (graded.score, graded.passed) == (Decimal("0.00"), False)


def test_a_second_submit_returns_the_graded_attempt_unchanged(
    setup: tuple[Exam, User, Enrollment],
) -> None:
    exam, user, _ = setup
    first = take(exam, user, right=8, at=T0)
    again = attempt_submit(attempt_id=first.pk, user=user, now=T0 + dt.timedelta(minutes=5))
    assert (again.graded_at, again.score) == (first.graded_at, first.score)


def test_a_learner_cannot_submit_someone_elses_attempt(
    setup: tuple[Exam, User, Enrollment],
) -> None:
    exam, user, _ = setup
    attempt = attempt_start(exam=exam, user=user, now=T0)
    with pytest.raises(ServiceError) as caught:
        attempt_submit(attempt_id=attempt.pk, user=UserFactory.create(), now=T0)
    assert caught.value.code == "not_found"
    attempt.refresh_from_db()
    assert attempt.state == "in_progress"


def test_expired_attempts_are_graded_by_the_periodic_job(
    setup: tuple[Exam, User, Enrollment],
) -> None:
    exam, user, _ = setup
    expired = take(exam, user, right=9, at=T0, submit=False)
    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=exam.course)
    running = attempt_start(exam=exam, user=other, now=T0 + dt.timedelta(minutes=20))

    assert attempts_grade_expired(now=T0 + dt.timedelta(minutes=30)) == 0  # grace not over
    assert attempts_grade_expired(now=T0 + dt.timedelta(minutes=31)) == 1
    assert attempts_grade_expired(now=T0 + dt.timedelta(minutes=31)) == 0

    expired.refresh_from_db()
    running.refresh_from_db()
    assert (expired.state, expired.score, expired.submitted_at) == (
        "graded",
        Decimal("90.00"),
        expired.deadline,
    )
    assert running.state == "in_progress"


def test_reading_an_expired_attempt_grades_it(setup: tuple[Exam, User, Enrollment]) -> None:
    exam, user, _ = setup
    attempt = take(exam, user, right=3, at=T0, submit=False)
    assert attempt_grade_if_expired(attempt=attempt, now=T0 + dt.timedelta(minutes=10)).state == (
        "in_progress"
    )
    assert attempt_grade_if_expired(attempt=attempt, now=T0 + dt.timedelta(hours=1)).score == (
        Decimal("30.00")
    )


def test_the_periodic_job_is_registered_and_runs(setup: tuple[Exam, User, Enrollment]) -> None:
    exam, user, _ = setup
    attempt = attempt_start(exam=exam, user=user, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert settings.CELERY_BEAT_SCHEDULE["grade-expired-attempts"] == {
        "task": "mooc.exams.tasks.grade_expired_attempts",
        "schedule": 60.0,
    }
    assert grade_expired_attempts() == 1
    attempt.refresh_from_db()
    assert attempt.state == "graded"


def test_passing_the_final_exam_completes_the_enrolment(
    setup: tuple[Exam, User, Enrollment], monkeypatch: pytest.MonkeyPatch
) -> None:
    exam, user, enrollment = setup
    passed: list[Enrollment] = []
    monkeypatch.setattr(submission, "on_final_exam_passed", passed.append)

    take(exam, user, right=8, at=T0)

    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.result, enrollment.final_score) == (
        "completed",
        "passed",
        Decimal("80.00"),
    )
    assert enrollment.completed_at == T0 + dt.timedelta(minutes=1)
    assert [e.pk for e in passed] == [enrollment.pk]


def test_a_later_failing_attempt_never_takes_the_pass_away(
    setup: tuple[Exam, User, Enrollment], monkeypatch: pytest.MonkeyPatch
) -> None:
    exam, user, enrollment = setup
    Exam.objects.filter(pk=exam.pk).update(allow_retake_after_pass=True)
    exam.refresh_from_db()
    passed: list[Enrollment] = []
    monkeypatch.setattr(submission, "on_final_exam_passed", passed.append)

    take(exam, user, right=8, at=T0)
    take(exam, user, right=2, at=T0 + dt.timedelta(hours=1))
    take(exam, user, right=9, at=T0 + dt.timedelta(hours=2))

    enrollment.refresh_from_db()
    assert (enrollment.result, enrollment.final_score) == ("passed", Decimal("90.00"))
    assert enrollment.completed_at == T0 + dt.timedelta(minutes=1)
    assert len(passed) == 1  # the certificate hook fires once


def test_failing_keeps_the_enrolment_open_while_attempts_remain(
    setup: tuple[Exam, User, Enrollment],
) -> None:
    exam, user, enrollment = setup
    Exam.objects.filter(pk=exam.pk).update(max_attempts=2)
    exam.refresh_from_db()

    take(exam, user, right=6, at=T0)
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.result, enrollment.final_score) == (
        "active",
        "",
        Decimal("60.00"),
    )

    take(exam, user, right=5, at=T0 + dt.timedelta(hours=1))
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.result, enrollment.final_score) == (
        "completed",
        "failed",
        Decimal("60.00"),
    )


def test_fail_then_pass_passes(setup: tuple[Exam, User, Enrollment]) -> None:
    exam, user, enrollment = setup
    take(exam, user, right=6, at=T0)
    take(exam, user, right=7, at=T0 + dt.timedelta(hours=1))
    enrollment.refresh_from_db()
    assert (enrollment.result, enrollment.final_score) == ("passed", Decimal("70.00"))


def test_a_practice_quiz_does_not_touch_the_enrolment() -> None:
    course = CourseFactory.create()
    make_bank(course)
    user = UserFactory.create()
    enrollment = EnrollmentFactory.create(user=user, course=course)
    quiz = ExamFactory.create(course=course, is_final=False, title="Quiz Bagian 1")

    attempt = take(quiz, user, right=5, at=T0)

    assert attempt.passed is True
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.result, enrollment.final_score) == ("active", "", None)


def test_one_learner_can_be_given_extra_time_with_an_audited_reason(
    setup: tuple[Exam, User, Enrollment],
) -> None:
    exam, user, _ = setup
    admin = UserFactory.create(username="admin")
    attempt = attempt_start(exam=exam, user=user, now=T0)

    extended = attempt_extend(attempt=attempt, minutes=15, actor=admin, reason="Listrik padam")

    assert extended.deadline == T0 + dt.timedelta(minutes=45)
    assert extended.extra_minutes == 15
    entry = AuditLog.objects.get(action="exams.attempt_extend")
    assert (entry.actor, entry.reason, entry.target_id) == (admin, "Listrik padam", str(attempt.pk))


def test_an_extension_needs_a_reason(setup: tuple[Exam, User, Enrollment]) -> None:
    exam, user, _ = setup
    attempt = attempt_start(exam=exam, user=user, now=T0)
    with pytest.raises(ServiceError) as caught:
        attempt_extend(attempt=attempt, minutes=15, actor=UserFactory.create(), reason=" ")
    assert caught.value.code == "reason_required"
    assert not AuditLog.objects.exists()


def test_a_running_exam_can_be_extended_for_everyone(
    setup: tuple[Exam, User, Enrollment],
) -> None:
    exam, user, _ = setup
    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=exam.course)
    first = attempt_start(exam=exam, user=user, now=T0)
    second = attempt_start(exam=exam, user=other, now=T0 + dt.timedelta(minutes=5))
    done = take(exam, make_enrolled(exam), right=1, at=T0)

    count = exam_extend_running(
        exam=exam, minutes=10, actor=UserFactory.create(), reason="Gangguan server"
    )

    assert count == 2
    first.refresh_from_db()
    second.refresh_from_db()
    done.refresh_from_db()
    assert first.deadline == T0 + dt.timedelta(minutes=40)
    assert second.deadline == T0 + dt.timedelta(minutes=45)
    assert done.extra_minutes == 0
    assert AuditLog.objects.filter(action="exams.exam_extend_running", reason="Gangguan server")


def make_enrolled(exam: Exam) -> User:
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=exam.course)
    return user


def test_a_submit_takes_a_bounded_number_of_queries(
    setup: tuple[Exam, User, Enrollment], django_assert_max_num_queries: object
) -> None:
    exam, user, _ = setup
    attempt = take(exam, user, right=5, at=T0, submit=False)
    # 7 statements, plus the savepoint and its release inside the test transaction.
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        attempt_submit(attempt_id=attempt.pk, user=user, now=T0 + dt.timedelta(minutes=2))
