"""Factories for question banks and exams."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import factory

from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.models import Exam, Option, Question, QuestionCategory

# The permissions an instructor needs for the question bank admin pages
# (`InstructorFactory.create(permissions=QUESTION_PERMISSIONS)`).
QUESTION_PERMISSIONS = (
    "catalog.view_course",
    "exams.view_question",
    "exams.add_question",
    "exams.change_question",
    "exams.delete_question",
    "exams.view_questioncategory",
    "exams.add_questioncategory",
    "exams.change_questioncategory",
)


class QuestionCategoryFactory(factory.django.DjangoModelFactory[QuestionCategory]):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("course", "name")

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Kategori {n}")


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    """A single-answer question; options come from `OptionFactory` or `make_question`."""

    class Meta:
        model = Question

    course = factory.SubFactory(CourseFactory)
    key = factory.Sequence(lambda n: f"q{n}")
    qtype = "single"
    text = factory.LazyAttribute(lambda o: f"<p>Soal {o.key}</p>")


class OptionFactory(factory.django.DjangoModelFactory[Option]):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Pilihan {n}")
    weight = Decimal(0)
    order = factory.Sequence(lambda n: n)


class ExamFactory(factory.django.DjangoModelFactory[Exam]):
    """The final exam of a course: 5 questions in 30 minutes."""

    class Meta:
        model = Exam

    course = factory.SubFactory(CourseFactory)
    title = "Ujian Akhir"
    is_final = True
    question_count = 5
    time_limit_minutes = 30


def make_bank(course: Course, size: int = 5) -> list[Question]:
    """`size` single-answer questions "Q1".."Qn"; option "benar" (weight 100) is first."""
    questions = []
    for i in range(1, size + 1):
        question = QuestionFactory.create(course=course, key=f"q{i}", text=f"<p>Q{i}</p>")
        Option.objects.bulk_create(
            Option(question=question, text=text, weight=Decimal(weight), order=order)
            for order, (text, weight) in enumerate(
                [("benar", 100), ("salah a", 0), ("salah b", 0), ("salah c", 0)]
            )
        )
        questions.append(question)
    return questions


def make_question(
    course: Course,
    key: str = "q1",
    *,
    qtype: str = "single",
    category: str = "",
    weights: Iterable[int] = (100, 0),
) -> Question:
    """A question whose options "Pilihan 1".. carry `weights`, in `category` if named."""
    question = QuestionFactory.create(
        course=course,
        key=key,
        qtype=qtype,
        category=QuestionCategoryFactory.create(course=course, name=category) if category else None,
    )
    for order, weight in enumerate(weights, start=1):
        OptionFactory.create(
            question=question, text=f"Pilihan {order}", weight=Decimal(weight), order=order
        )
    return question
