"""Builders for the certificate tests (no tests here)."""

from __future__ import annotations

import datetime as dt

from mooc.accounts.models import User
from mooc.catalog.models import Course, Enrollment
from mooc.exams.models import Attempt, Exam
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.submission import attempt_submit
from mooc.exams.tests.test_engine_support import (
    enrol,
    make_bank,
    make_course,
    make_exam,
    make_user,
    right_positions,
    wrong_positions,
)

__all__ = ["course_with_exam", "enrol", "make_bank", "make_course", "make_exam", "make_user"]


def course_with_exam(**exam_fields: object) -> tuple[Course, Exam]:
    course = make_course()
    make_bank(course, size=5)
    return course, make_exam(course, **exam_fields)


def take(user: User, exam: Exam, *, right: bool = True, now: dt.datetime | None = None) -> Attempt:
    """Start, answer every question (all right or all wrong) and submit."""
    attempt = attempt_start(exam=exam, user=user, now=now)
    positions = right_positions(attempt) if right else wrong_positions(attempt)
    for position, option in positions.items():
        answer_save(
            attempt_id=attempt.pk,
            user=user,
            position=position,
            option_positions=[option],
            client_seq=1,
            now=now,
        )
    return attempt_submit(attempt_id=attempt.pk, user=user, now=now)


def pass_course(user: User, course: Course, exam: Exam) -> Enrollment:
    if not Enrollment.objects.filter(user=user, course=course).exists():
        enrol(user, course)
    take(user, exam, right=True)
    return Enrollment.objects.get(user=user, course=course)
