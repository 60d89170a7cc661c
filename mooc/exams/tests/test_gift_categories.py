"""GIFT categories as Moodle writes them: `$course$/top/Nilai Dasar` is the category
"Nilai Dasar" of this course's bank, not a category named after the token."""

from __future__ import annotations

import pytest

from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.formats.gift import category_name_from_gift, parse_gift
from mooc.exams.models import QuestionCategory
from mooc.exams.services.banks import questions_import


@pytest.mark.parametrize(
    "raw, name",
    [
        ("$course$/Nilai Dasar", "Nilai Dasar"),
        ("$course$/top/Nilai Dasar", "Nilai Dasar"),
        ("$system$/Orientasi/Etika", "Orientasi/Etika"),
        ("$system$/top/Orientasi/Etika", "Orientasi/Etika"),
        ("$module$/top/Kuis 1", "Kuis 1"),
        ("$coursecategory$/Umum", "Umum"),
        ("  $COURSE$/Nilai Dasar  ", "Nilai Dasar"),
        ("$course$/top", ""),
        ("Nilai Dasar", "Nilai Dasar"),
        ("Orientasi/Etika", "Orientasi/Etika"),
        ("top/Nilai Dasar", "top/Nilai Dasar"),  # no token: the author's own name
        ("Biaya $course$/x", "Biaya $course$/x"),
    ],
)
def test_moodle_context_tokens_are_taken_off_the_category(raw: str, name: str) -> None:
    assert category_name_from_gift(raw) == name


@pytest.mark.django_db
def test_an_imported_category_is_named_without_the_token_in_this_courses_bank() -> None:
    course = CourseFactory.create()
    text = (
        "$CATEGORY: $course$/top/Nilai Dasar\n\n"
        "::akuntabilitas::Apa arti akuntabilitas? {=Tanggung jawab ~Kecepatan}\n"
    )

    questions_import(course=course, result=parse_gift(text))

    category = QuestionCategory.objects.get()
    assert category.name == "Nilai Dasar"
    assert category.course == course
    assert course.questions.get().category == category
