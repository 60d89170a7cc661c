"""Importing a file again updates the bank by stable id; it never duplicates, and the
version goes up only when a question really changed (the exam engine relies on it)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.formats import ParsedQuestion
from mooc.exams.models import Option, Question
from mooc.exams.services.banks import question_key_derive, questions_import
from mooc.exams.tests.helpers import multiple, option, result, single, truefalse

pytestmark = pytest.mark.django_db


def _file() -> list[ParsedQuestion]:
    return [
        single(line=1, title="ibukota", category="Umum"),
        multiple(line=7, title="nilai-dasar"),
        truefalse(line=14),  # untitled: its id comes from its text
    ]


def test_the_same_file_again_changes_nothing() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(*_file()))
    options_before = list(Option.objects.order_by("pk").values_list("pk", flat=True))

    report = questions_import(course=course, result=result(*_file()))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert report.imported == 3
    assert Question.objects.filter(course=course).count() == 3
    assert set(Question.objects.values_list("version", flat=True)) == {1}
    assert list(Option.objects.order_by("pk").values_list("pk", flat=True)) == options_before


def test_a_changed_question_is_updated_in_place_and_its_version_bumped() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(*_file()))
    original = Question.objects.get(key="ibukota")
    changed = single(
        "<p>Ibu kota negara Indonesia adalah?</p>",
        line=1,
        title="ibukota",
        category="Umum",
        options=[option("Jakarta", 100), option("Nusantara", 0, "Belum.")],
    )

    report = questions_import(course=course, result=result(changed, *_file()[1:]))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    question = Question.objects.get(key="ibukota")
    assert question.pk == original.pk
    assert question.version == 2
    assert question.text == "<p>Ibu kota negara Indonesia adalah?</p>"
    assert [(o.text, o.weight, o.feedback) for o in question.options.all()] == [
        ("Jakarta", Decimal(100), ""),
        ("Nusantara", Decimal(0), "Belum."),
    ]
    assert Question.objects.get(key="nilai-dasar").version == 1


@pytest.mark.parametrize(
    "changed",
    [
        single(line=1, title="ibukota", category="Lain"),
        single(line=1, title="ibukota", category="Umum", general_feedback="<p>Lihat UU.</p>"),
        single(
            line=1,
            title="ibukota",
            category="Umum",
            options=[option("Jakarta", 100, "Benar."), option("Bandung"), option("Medan")],
        ),
        single(
            line=1,
            title="ibukota",
            category="Umum",
            options=[option("Jakarta", 100), option("Bandung"), option("Surabaya")],
        ),
    ],
    ids=["category", "general feedback", "option text", "option feedback"],
)
def test_every_kind_of_change_bumps_the_version(changed: ParsedQuestion) -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(*_file()))

    report = questions_import(course=course, result=result(changed))

    assert report.updated == 1
    assert Question.objects.get(key="ibukota").version == 2


def test_each_import_with_a_change_bumps_again() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(single(title="t", general_feedback="a")))
    questions_import(course=course, result=result(single(title="t", general_feedback="b")))
    questions_import(course=course, result=result(single(title="t", general_feedback="c")))

    assert Question.objects.get(key="t").version == 3


def test_an_untitled_question_keeps_its_derived_id() -> None:
    course = CourseFactory.create(is_published=False)
    question = truefalse("<p>ASN wajib netral.</p>")

    questions_import(course=course, result=result(question))
    questions_import(course=course, result=result(question))

    stored = Question.objects.get(course=course)
    assert stored.key == question_key_derive(category="", text="<p>ASN wajib netral.</p>")
    assert stored.key.startswith("q-") and len(stored.key) == 14


def test_questions_missing_from_the_file_stay_in_the_bank() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(*_file()))

    questions_import(course=course, result=result(_file()[0]))

    assert Question.objects.filter(course=course).count() == 3


def test_the_same_file_in_another_course_makes_its_own_questions() -> None:
    first, second = (
        CourseFactory.create(title="Satu", is_published=False),
        CourseFactory.create(title="Dua", is_published=False),
    )
    questions_import(course=first, result=result(*_file()))

    report = questions_import(course=second, result=result(*_file()))

    assert report.created == 3
    assert Question.objects.filter(course=first).count() == 3
    assert Question.objects.filter(course=second).count() == 3


def test_a_deactivated_question_stays_deactivated_on_reimport() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(*_file()))
    Question.objects.filter(key="ibukota").update(is_active=False)

    questions_import(course=course, result=result(*_file()))

    assert not Question.objects.get(key="ibukota").is_active


def test_a_true_false_question_is_unchanged_whatever_language_named_its_options() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(truefalse(title="netral")))
    in_indonesian = ParsedQuestion(
        line=1,
        qtype="truefalse",
        text="<p>ASN wajib netral.</p>",
        options=(option("Benar", 100), option("Salah", 0)),
        title="netral",
    )

    report = questions_import(course=course, result=result(in_indonesian))

    assert report.unchanged == 1
    assert Question.objects.get(key="netral").version == 1


def test_a_true_false_question_whose_answer_flips_is_updated() -> None:
    course = CourseFactory.create(is_published=False)
    questions_import(course=course, result=result(truefalse(title="netral")))
    flipped = ParsedQuestion(
        line=1,
        qtype="truefalse",
        text="<p>ASN wajib netral.</p>",
        options=(option("True", 0), option("False", 100)),
        title="netral",
    )

    report = questions_import(course=course, result=result(flipped))

    assert report.updated == 1
    assert Question.objects.get(key="netral").version == 2
