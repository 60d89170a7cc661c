"""The exam form as a content team meets it: the number of questions checked against the
bank, the first exam of a certificate course ticked final, pickers that name the course,
and the exam's own title shown to learners."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.models import Exam, QuestionCategory
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.learning.tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_en(admin_client: Client) -> Client:
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client


def _data(course: Course, **change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "course": course.pk,
        "is_final": "on",
        "title": "Ujian Akhir Nilai Dasar",
        "question_count": 10,
        "shuffle_questions": "on",
        "shuffle_options": "on",
        "time_limit_minutes": 30,
        "passing_grade": "70",
        "max_attempts": "",
        "wait_minutes_between_attempts": 0,
        "review_mode": "score",
        "quotas-TOTAL_FORMS": 0,
        "quotas-INITIAL_FORMS": 0,
        "quotas-MIN_NUM_FORMS": 0,
        "quotas-MAX_NUM_FORMS": 1000,
    }
    data.update(change)
    return data


def test_drawing_more_questions_than_the_bank_holds_is_refused_with_both_numbers(
    client_en: Client,
) -> None:
    course = CourseFactory.create()
    make_bank(course, size=10)

    response = client_en.post(reverse("admin:exams_exam_add"), _data(course, question_count=25))

    assert response.status_code == 200
    html = response.content.decode()
    assert "would draw 25 questions, but its bank holds only 10" in html
    assert not Exam.objects.exists()


def test_the_chosen_categories_are_what_is_counted(client_en: Client) -> None:
    course = CourseFactory.create()
    bank = make_bank(course, size=10)
    category = QuestionCategory.objects.create(course=course, name="Etika")
    for question in bank[:3]:
        question.category = category
        question.save()

    response = client_en.post(
        reverse("admin:exams_exam_add"),
        _data(course, question_count=5, categories=[category.pk]),
    )

    assert "the chosen categories hold only 3" in response.content.decode()
    assert not Exam.objects.exists()


def test_an_exam_within_its_bank_is_saved(client_en: Client) -> None:
    course = CourseFactory.create()
    make_bank(course, size=10)

    response = client_en.post(reverse("admin:exams_exam_add"), _data(course))

    assert response.status_code == 302
    assert Exam.objects.get().question_count == 10


def test_the_first_exam_of_a_certificate_course_starts_ticked_final(client_en: Client) -> None:
    course = CourseFactory.create(gives_certificate=True)

    html = client_en.get(f"{reverse('admin:exams_exam_add')}?course={course.pk}").content

    assert re.search(rb'<input type="checkbox" name="is_final"[^>]* checked', html)


@pytest.mark.parametrize("gives_certificate, has_exam", [(False, False), (True, True)])
def test_otherwise_final_is_not_ticked(
    client_en: Client, gives_certificate: bool, has_exam: bool
) -> None:
    course = CourseFactory.create(gives_certificate=gives_certificate)
    if has_exam:
        ExamFactory.create(course=course)

    html = client_en.get(f"{reverse('admin:exams_exam_add')}?course={course.pk}").content

    assert re.search(rb'<input type="checkbox" name="is_final"[^>]*>', html)
    assert not re.search(rb'<input type="checkbox" name="is_final"[^>]* checked', html)


def test_section_and_category_pickers_name_the_course(client_en: Client) -> None:
    first = CourseFactory.create(title="Orientasi CPNS")
    second = CourseFactory.create(title="Etika ASN")
    for course in (first, second):
        SectionFactory.create(course=course, title="Pendahuluan")
        QuestionCategory.objects.create(course=course, name="Nilai Dasar")

    html = client_en.get(reverse("admin:exams_exam_add")).content.decode()

    assert "Orientasi CPNS — Pendahuluan" in html
    assert "Etika ASN — Pendahuluan" in html
    assert "Orientasi CPNS — Nilai Dasar" in html
    assert "Etika ASN — Nilai Dasar" in html


@pytest.mark.parametrize(
    "title, shown",
    [("Ujian Akhir Nilai Dasar ASN", "Ujian Akhir Nilai Dasar ASN"), ("", "Quiz")],
)
def test_the_learner_sees_the_exams_own_title_or_the_vocabulary_word(
    client: Client, english: None, title: str, shown: str
) -> None:
    course = CourseFactory.create()
    make_bank(course, size=5)
    exam = ExamFactory.create(course=course, title=title)
    enrollment = EnrollmentFactory.create(course=course)
    client.force_login(enrollment.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("exams:landing", args=[exam.pk])).content.decode()

    assert f'<h1 class="h3 mb-1">{shown}</h1>' in html
