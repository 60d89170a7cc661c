"""Per-category quotas in the exam admin: an inline under the exam, whose counts must
add up to the exam's number of questions, from categories of the exam's course that
hold enough active questions."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.models import Exam, ExamCategoryQuota, Question, QuestionCategory
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db

PREFIX = "quotas"


@pytest.fixture
def client_en(admin_client: Client) -> Client:
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client


def _categories(course: Course) -> tuple[QuestionCategory, QuestionCategory]:
    """Four questions in "Etika", three in "Pelayanan"."""
    bank = make_bank(course, size=7)
    etika = QuestionCategory.objects.create(course=course, name="Etika")
    pelayanan = QuestionCategory.objects.create(course=course, name="Pelayanan")
    Question.objects.filter(pk__in=[q.pk for q in bank[:4]]).update(category=etika)
    Question.objects.filter(pk__in=[q.pk for q in bank[4:]]).update(category=pelayanan)
    return etika, pelayanan


def _form(exam: Exam, quotas: list[tuple[QuestionCategory, int]], **change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "course": exam.course_id,
        "is_final": "on",
        "title": exam.title,
        "question_count": exam.question_count,
        "shuffle_questions": "on",
        "shuffle_options": "on",
        "time_limit_minutes": exam.time_limit_minutes,
        "passing_grade": "70",
        "max_attempts": "",
        "wait_minutes_between_attempts": 0,
        "review_mode": "score",
        f"{PREFIX}-TOTAL_FORMS": len(quotas),
        f"{PREFIX}-INITIAL_FORMS": 0,
        f"{PREFIX}-MIN_NUM_FORMS": 0,
        f"{PREFIX}-MAX_NUM_FORMS": 1000,
    }
    for index, (category, count) in enumerate(quotas):
        data[f"{PREFIX}-{index}-category"] = category.pk
        data[f"{PREFIX}-{index}-count"] = count
    data.update(change)
    return data


def _post(client: Client, exam: Exam, data: dict[str, Any]) -> str:
    response = client.post(reverse("admin:exams_exam_change", args=[exam.pk]), data)
    assert response.status_code == 200, "expected the form back with errors"
    return response.content.decode()


def test_the_exam_page_shows_the_quota_inline(client_en: Client) -> None:
    exam = ExamFactory.create(course=CourseFactory.create())

    html = client_en.get(reverse("admin:exams_exam_change", args=[exam.pk])).content.decode()

    assert f'name="{PREFIX}-TOTAL_FORMS"' in html
    assert "questions per category (optional)" in html.lower()


def test_quotas_adding_up_to_the_number_of_questions_are_saved(client_en: Client) -> None:
    course = CourseFactory.create()
    etika, pelayanan = _categories(course)
    exam = ExamFactory.create(course=course, question_count=5)

    response = client_en.post(
        reverse("admin:exams_exam_change", args=[exam.pk]),
        _form(exam, [(etika, 3), (pelayanan, 2)]),
    )

    assert response.status_code == 302
    saved = {q.category.name: q.count for q in exam.quotas.select_related("category")}
    assert saved == {"Etika": 3, "Pelayanan": 2}


def test_quotas_that_do_not_add_up_are_refused_with_the_numbers(client_en: Client) -> None:
    course = CourseFactory.create()
    etika, pelayanan = _categories(course)
    exam = ExamFactory.create(course=course, question_count=5)

    html = _post(client_en, exam, _form(exam, [(etika, 2), (pelayanan, 2)]))

    assert (
        "The quotas add up to 4 questions, but the exam draws 5 (number of questions). "
        "Make them equal."
    ) in html
    assert not ExamCategoryQuota.objects.exists()


def test_the_sum_is_checked_against_the_number_being_saved(client_en: Client) -> None:
    course = CourseFactory.create()
    etika, pelayanan = _categories(course)
    exam = ExamFactory.create(course=course, question_count=5)

    response = client_en.post(
        reverse("admin:exams_exam_change", args=[exam.pk]),
        _form(exam, [(etika, 4), (pelayanan, 3)], question_count=7),
    )

    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.question_count == 7 and exam.quotas.count() == 2


def test_a_quota_larger_than_its_category_is_refused(client_en: Client) -> None:
    course = CourseFactory.create()
    etika, pelayanan = _categories(course)
    exam = ExamFactory.create(course=course, question_count=6)

    html = _post(client_en, exam, _form(exam, [(etika, 2), (pelayanan, 4)]))

    assert "The category “Pelayanan” has only 3 active questions; its quota is 4." in html
    assert not ExamCategoryQuota.objects.exists()


def test_another_courses_category_is_refused(client_en: Client) -> None:
    course = CourseFactory.create()
    etika, _pelayanan = _categories(course)
    theirs, _other = _categories(CourseFactory.create())
    exam = ExamFactory.create(course=course, question_count=5)

    html = _post(client_en, exam, _form(exam, [(etika, 3), (theirs, 2)]))

    assert "is not in the exam&#x27;s course." in html
    assert not ExamCategoryQuota.objects.exists()


def test_the_same_category_twice_is_refused(client_en: Client) -> None:
    course = CourseFactory.create()
    etika, _pelayanan = _categories(course)
    exam = ExamFactory.create(course=course, question_count=4)

    html = _post(client_en, exam, _form(exam, [(etika, 2), (etika, 2)]))

    assert not ExamCategoryQuota.objects.exists()
    assert "Please correct the duplicate data for category." in html  # Django's own check


def test_without_quotas_the_exam_saves_as_before(client_en: Client) -> None:
    course = CourseFactory.create()
    _categories(course)
    exam = ExamFactory.create(course=course, question_count=5)

    response = client_en.post(
        reverse("admin:exams_exam_change", args=[exam.pk]), _form(exam, [], title="Ujian Baru")
    )

    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.title == "Ujian Baru" and not exam.quotas.exists()


def test_a_category_with_a_quota_cannot_be_deleted_in_the_admin(client_en: Client) -> None:
    course = CourseFactory.create()
    etika, _pelayanan = _categories(course)
    exam = ExamFactory.create(course=course, question_count=2)
    ExamCategoryQuota.objects.create(exam=exam, category=etika, count=2)
    url = reverse("admin:exams_questioncategory_delete", args=[etika.pk])

    page = client_en.get(url).content.decode()
    client_en.post(url, {"post": "yes"})

    assert "protected related objects" in page
    assert QuestionCategory.objects.filter(pk=etika.pk).exists()
