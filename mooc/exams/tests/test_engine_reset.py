"""An admin reset of an attempt: a reason, an audit entry, and the enrolment recomputed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.core.models import AuditLog
from mooc.exams.models import Attempt, AttemptAnswer, AttemptQuestion, Exam
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.staff import attempt_reset, enrollment_recompute
from mooc.exams.services.submission import attempt_submit
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import T0, right_positions, wrong_positions

pytestmark = pytest.mark.django_db

Setting = tuple[Exam, User, Enrollment]


def _take(exam: Exam, user: User, *, right: int, at: dt.datetime) -> Attempt:
    """Start, answer `right` questions right and the rest wrong, submit."""
    attempt = attempt_start(exam=exam, user=user, now=at)
    good, bad = right_positions(attempt), wrong_positions(attempt)
    for seq, position in enumerate(sorted(good), start=1):
        choice = good[position] if position < right else bad[position]
        answer_save(
            attempt_id=attempt.pk,
            user=user,
            position=position,
            option_positions=[choice],
            client_seq=seq,
            now=at,
        )
    return attempt_submit(attempt_id=attempt.pk, user=user, now=at + dt.timedelta(minutes=5))


@pytest.fixture
def setting() -> Setting:
    course = CourseFactory.create()
    # The rules of recomputing, apart from certificates (a certified pass must be revoked
    # before its attempt is reset: mooc/certificates/tests/test_admin.py).
    course.gives_certificate = False
    course.save()
    make_bank(course, size=5)
    exam = ExamFactory.create(course=course, passing_grade=Decimal(70), max_attempts=2)
    user = UserFactory.create()
    enrollment = EnrollmentFactory.create(user=user, course=course)
    return exam, user, enrollment


def test_a_reset_needs_a_reason(setting: Setting) -> None:
    exam, user, _enrollment = setting
    attempt = _take(exam, user, right=5, at=T0)
    admin = UserFactory.create(username="admin1")

    for reason in ("", "   "):
        with pytest.raises(ServiceError) as caught:
            attempt_reset(attempt=attempt, actor=admin, reason=reason)
        assert caught.value.field == "reason"
    assert Attempt.objects.filter(pk=attempt.pk).exists()
    assert not AuditLog.objects.filter(action="exams.attempt_reset").exists()


def test_resetting_the_only_passing_attempt_makes_the_enrolment_active_again(
    setting: Setting,
) -> None:
    exam, user, enrollment = setting
    attempt = _take(exam, user, right=5, at=T0)
    enrollment.refresh_from_db()
    assert enrollment.result == EnrollmentResult.PASSED
    question_ids = list(
        AttemptQuestion.objects.filter(attempt=attempt).values_list("pk", flat=True)
    )
    admin = UserFactory.create(username="admin2")

    attempt_reset(attempt=attempt, actor=admin, reason="Gangguan listrik di lokasi ujian")

    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    assert not AttemptAnswer.objects.filter(attempt_question_id__in=question_ids).exists()
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.result == ""
    assert enrollment.final_score is None and enrollment.completed_at is None

    entry = AuditLog.objects.get(action="exams.attempt_reset")
    assert entry.actor == admin
    assert entry.reason == "Gangguan listrik di lokasi ujian"
    assert entry.target_id == str(attempt.pk)
    assert entry.before is not None
    assert entry.before["user"] == user.pk and entry.before["exam"] == exam.pk
    assert entry.before["number"] == 1
    assert entry.before["score"] == "100.00" and entry.before["passed"] is True
    assert entry.before["enrollment"]["result"] == "passed"
    assert entry.after == {
        "deleted": True,
        "enrollment": {"status": "active", "result": "", "final_score": None},
    }


def test_resetting_the_passing_attempt_with_an_attempt_left_keeps_the_enrolment_active(
    setting: Setting,
) -> None:
    exam, user, enrollment = setting
    _take(exam, user, right=2, at=T0)  # 40: failed
    passing = _take(exam, user, right=4, at=T0 + dt.timedelta(hours=1))  # 80: passed
    enrollment.refresh_from_db()
    assert enrollment.result == EnrollmentResult.PASSED

    attempt_reset(
        attempt=passing, actor=UserFactory.create(username="admin3"), reason="Dugaan kecurangan"
    )

    enrollment.refresh_from_db()
    # One attempt left of two allowed: not exhausted, so active, with the best score so far.
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.result == ""
    assert enrollment.final_score == Decimal("40.00")


def test_recompute_fails_the_enrolment_when_every_attempt_is_used(setting: Setting) -> None:
    exam, user, enrollment = setting
    exam.max_attempts = 1
    exam.save()
    _take(exam, user, right=3, at=T0)  # 60: failed, attempts exhausted
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.result) == ("completed", "failed")
    # A stale record (e.g. edited by hand) is put right from the attempts.
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status="active", result="", final_score=None, completed_at=None
    )

    enrollment_recompute(enrollment=enrollment)

    assert (enrollment.status, enrollment.result) == ("completed", "failed")
    assert enrollment.final_score == Decimal("60.00")
    assert enrollment.completed_at is not None


def test_recompute_keeps_passed_from_any_remaining_passing_attempt(setting: Setting) -> None:
    exam, user, enrollment = setting
    exam.max_attempts = None
    exam.allow_retake_after_pass = True
    exam.save()
    first = _take(exam, user, right=4, at=T0)  # 80 passed
    second = _take(exam, user, right=5, at=T0 + dt.timedelta(hours=1))  # 100 passed

    attempt_reset(
        attempt=second,
        actor=UserFactory.create(username="admin4"),
        reason="Diulang atas permintaan",
    )

    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.result) == ("completed", "passed")
    assert enrollment.final_score == Decimal("80.00")
    assert enrollment.completed_at == first.graded_at
    # The learner's next attempt is numbered after the highest remaining one.
    third = attempt_start(exam=exam, user=user, now=T0 + dt.timedelta(hours=2))
    assert third.number == 2


def test_resetting_an_attempt_in_progress_gives_the_attempt_back(setting: Setting) -> None:
    exam, user, enrollment = setting
    exam.max_attempts = 1
    exam.save()
    running = attempt_start(exam=exam, user=user, now=T0)

    attempt_reset(
        attempt=running, actor=UserFactory.create(username="admin5"), reason="Salah peserta"
    )

    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE and enrollment.result == ""
    again = attempt_start(exam=exam, user=user, now=T0 + dt.timedelta(minutes=1))
    assert again.number == 1


def test_resetting_a_practice_quiz_attempt_leaves_the_enrolment_alone(setting: Setting) -> None:
    exam, user, enrollment = setting
    _take(exam, user, right=5, at=T0)
    quiz = ExamFactory.create(course=exam.course, is_final=False, title="Kuis 1")
    attempt = _take(quiz, user, right=1, at=T0 + dt.timedelta(hours=1))

    attempt_reset(
        attempt=attempt, actor=UserFactory.create(username="admin6"), reason="Latihan ulang"
    )

    enrollment.refresh_from_db()
    assert enrollment.result == EnrollmentResult.PASSED
    entry = AuditLog.objects.get(action="exams.attempt_reset")
    assert entry.before is not None and "enrollment" not in entry.before
    assert entry.after == {"deleted": True}
