"""Changes to an exam's settings (questions, time, passing grade, attempts, review, the
quotas) are kept in the audit log with before and after; a save that changes nothing
writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mooc.catalog.tests.factories import CourseFactory
from mooc.core.models import AuditLog
from mooc.exams.models import Exam, QuestionCategory
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db


def _data(exam: Exam, **change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "course": exam.course_id,
        "is_final": "on",
        "title": exam.title,
        "question_count": exam.question_count,
        "shuffle_questions": "on",
        "shuffle_options": "on",
        "time_limit_minutes": exam.time_limit_minutes,
        "passing_grade": str(exam.passing_grade),
        "max_attempts": exam.max_attempts or "",
        "wait_minutes_between_attempts": exam.wait_minutes_between_attempts,
        "review_mode": exam.review_mode,
        "quotas-TOTAL_FORMS": 0,
        "quotas-INITIAL_FORMS": 0,
        "quotas-MIN_NUM_FORMS": 0,
        "quotas-MAX_NUM_FORMS": 1000,
    }
    data.update(change)
    return data


@pytest.fixture
def exam() -> Exam:
    course = CourseFactory.create()
    make_bank(course, size=10)
    return ExamFactory.create(
        course=course,
        is_final=True,
        question_count=5,
        time_limit_minutes=30,
        passing_grade=70,
        max_attempts=3,
        shuffle_questions=True,
        shuffle_options=True,
    )


def test_changing_the_rules_is_recorded_with_before_and_after(
    admin_client: Client, admin_user: Any, exam: Exam
) -> None:
    url = reverse("admin:exams_exam_change", args=[exam.pk])
    response = admin_client.post(
        url,
        _data(exam, passing_grade="75", question_count=8, time_limit_minutes=45, max_attempts=2),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditLog.objects.get(action="exam.settings_changed")
    assert entry.actor == admin_user and entry.target_id == str(exam.pk)
    assert entry.before == {
        "max_attempts": 3,
        "passing_grade": "70.00",
        "question_count": 5,
        "time_limit_minutes": 30,
    }
    assert entry.after == {
        "max_attempts": 2,
        "passing_grade": "75.00",
        "question_count": 8,
        "time_limit_minutes": 45,
    }


def test_a_save_without_a_change_writes_no_entry(admin_client: Client, exam: Exam) -> None:
    url = reverse("admin:exams_exam_change", args=[exam.pk])
    response = admin_client.post(url, _data(exam))

    assert response.status_code == 302
    assert not AuditLog.objects.filter(action__startswith="exam.").exists()


def test_quotas_and_the_review_mode_are_settings_too(admin_client: Client, exam: Exam) -> None:
    category = QuestionCategory.objects.create(course=exam.course, name="Etika")
    exam.course.questions.update(category=category)
    url = reverse("admin:exams_exam_change", args=[exam.pk])
    data = _data(exam, review_mode="nothing")
    data.update({"quotas-TOTAL_FORMS": 1, "quotas-0-category": category.pk, "quotas-0-count": 5})

    assert admin_client.post(url, data).status_code == 302

    entry = AuditLog.objects.get(action="exam.settings_changed")
    assert entry.before == {"quotas": {}, "review_mode": "score"}
    assert entry.after == {"quotas": {"Etika": 5}, "review_mode": "nothing"}


def test_a_refused_change_is_not_recorded(admin_client: Client, exam: Exam) -> None:
    url = reverse("admin:exams_exam_change", args=[exam.pk])
    response = admin_client.post(url, _data(exam, passing_grade="150"))

    assert response.status_code == 200
    assert not AuditLog.objects.filter(action__startswith="exam.").exists()


def test_creating_and_deleting_an_exam_are_recorded(admin_client: Client, exam: Exam) -> None:
    course = CourseFactory.create()
    make_bank(course, size=exam.question_count)  # an exam drawing more than its bank is refused
    created = admin_client.post(
        reverse("admin:exams_exam_add"), _data(exam, course=course.pk, title="Kuis Bab 1")
    )
    assert created.status_code == 302, created.context["adminform"].form.errors
    new = Exam.objects.get(course=course)
    entry = AuditLog.objects.get(action="exam.created")
    assert entry.after is not None and entry.after["title"] == "Kuis Bab 1"

    admin_client.post(reverse("admin:exams_exam_delete", args=[new.pk]), {"post": "yes"})

    deleted = AuditLog.objects.get(action="exam.deleted")
    assert deleted.target_id == str(new.pk) and deleted.before is not None
    assert deleted.before["passing_grade"] == "70.00"
