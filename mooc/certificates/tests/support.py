"""Builders and readers for the certificate tests (no tests here)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.test import Client
from pypdf import PdfReader

from mooc.accounts.models import User
from mooc.accounts.roles import ROLE_INSTRUCTOR
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course, Enrollment
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.models import Attempt, Exam
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.submission import attempt_submit
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import right_positions, wrong_positions


def course_with_exam(**exam_fields: object) -> tuple[Course, Exam]:
    course = CourseFactory.create()
    make_bank(course, size=5)
    return course, ExamFactory.create(course=course, **exam_fields)


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
        EnrollmentFactory.create(user=user, course=course)
    take(user, exam, right=True)
    return Enrollment.objects.get(user=user, course=course)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_of(course: Course, role: str = ROLE_INSTRUCTOR) -> User:
    """A staff account in `role`'s group (made by the migrations), on the course's staff
    if an instructor."""
    user = UserFactory.create(staff=True)
    user.groups.add(Group.objects.get(name=role))
    if role == ROLE_INSTRUCTOR:
        course.staff.add(user)
    return user


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
