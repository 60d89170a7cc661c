"""Per-category quotas: an exam with quotas draws exactly `count` questions from each
category; without quotas the draw is unchanged (N of the pool)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.models import (
    AttemptQuestion,
    Exam,
    ExamCategoryQuota,
    Question,
    QuestionCategory,
)
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import T0

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _categorised(course: Course) -> dict[str, QuestionCategory]:
    """12 questions: 6 in "Etika", 4 in "Pelayanan", 2 without a category."""
    bank = make_bank(course, size=12)
    etika = QuestionCategory.objects.create(course=course, name="Etika")
    pelayanan = QuestionCategory.objects.create(course=course, name="Pelayanan")
    Question.objects.filter(pk__in=[q.pk for q in bank[:6]]).update(category=etika)
    Question.objects.filter(pk__in=[q.pk for q in bank[6:10]]).update(category=pelayanan)
    return {"Etika": etika, "Pelayanan": pelayanan}


def _drawn_by_category(exam: Exam, seed: int) -> Counter[str]:
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=exam.course)
    attempt = attempt_start(exam=exam, user=user, now=T0, rng=random.Random(seed))
    names = AttemptQuestion.objects.filter(attempt=attempt).values_list(
        "question__category__name", flat=True
    )
    return Counter(name or "" for name in names)


def test_each_attempt_draws_the_quota_of_each_category() -> None:
    course = CourseFactory.create()
    categories = _categorised(course)
    exam = ExamFactory.create(course=course, question_count=5)
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Etika"], count=3)
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Pelayanan"], count=2)

    for seed in range(5):
        assert _drawn_by_category(exam, seed) == Counter({"Etika": 3, "Pelayanan": 2})


def test_quotas_draw_different_questions_at_random() -> None:
    course = CourseFactory.create()
    categories = _categorised(course)
    exam = ExamFactory.create(course=course, question_count=2)
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Etika"], count=2)
    seen: set[int] = set()

    for seed in range(8):
        user = UserFactory.create()
        EnrollmentFactory.create(user=user, course=course)
        attempt = attempt_start(exam=exam, user=user, now=T0, rng=random.Random(seed))
        seen |= set(
            AttemptQuestion.objects.filter(attempt=attempt).values_list("question_id", flat=True)
        )

    assert len(seen) > 2  # not always the same two of the six
    assert Question.objects.filter(pk__in=seen).exclude(category__name="Etika").count() == 0


def test_quotas_take_precedence_over_the_category_filter() -> None:
    course = CourseFactory.create()
    categories = _categorised(course)
    exam = ExamFactory.create(course=course, question_count=2)
    exam.categories.add(categories["Etika"])
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Pelayanan"], count=2)

    assert _drawn_by_category(exam, 1) == Counter({"Pelayanan": 2})


def test_inactive_questions_are_not_drawn_and_a_short_category_gives_what_it_has(
    caplog: pytest.LogCaptureFixture,
) -> None:
    course = CourseFactory.create()
    categories = _categorised(course)
    first = Question.objects.filter(category=categories["Pelayanan"]).order_by("id").first()
    assert first is not None
    first.is_active = False
    first.save(update_fields=["is_active"])
    exam = ExamFactory.create(course=course, question_count=5)
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Etika"], count=1)
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Pelayanan"], count=4)

    drawn = _drawn_by_category(exam, 3)

    assert drawn == Counter({"Etika": 1, "Pelayanan": 3})
    assert "which has 3" in caplog.text


def test_without_quotas_the_draw_is_n_of_the_whole_bank() -> None:
    course = CourseFactory.create()
    _categorised(course)
    exam = ExamFactory.create(course=course, question_count=12)

    assert sum(_drawn_by_category(exam, 2).values()) == 12


def test_a_quota_needs_a_positive_count_and_one_row_per_category() -> None:
    course = CourseFactory.create()
    categories = _categorised(course)
    exam = ExamFactory.create(course=course)
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Etika"], count=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        ExamCategoryQuota.objects.create(exam=exam, category=categories["Etika"], count=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamCategoryQuota.objects.create(exam=exam, category=categories["Pelayanan"], count=0)


def test_a_category_with_a_quota_cannot_be_deleted() -> None:
    course = CourseFactory.create()
    categories = _categorised(course)
    exam = ExamFactory.create(course=course)
    ExamCategoryQuota.objects.create(exam=exam, category=categories["Etika"], count=1)

    with pytest.raises(ProtectedError):
        categories["Etika"].delete()
