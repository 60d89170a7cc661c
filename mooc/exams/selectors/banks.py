"""Reads of the question banks, each with the joins its callers need."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext

from mooc.catalog.models import Course
from mooc.catalog.permissions import courses_editable_by
from mooc.exams.models import Exam, Option, Question, QuestionCategory


def _with_options(queryset: QuerySet[Question]) -> QuerySet[Question]:
    return queryset.select_related("category").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order", "id"))
    )


def question_bank_list(*, course: Course) -> QuerySet[Question]:
    """The course's questions with their category and ordered options, by category."""
    return _with_options(Question.objects.filter(course=course)).order_by("category__name", "id")


def question_get(*, pk: int) -> Question:
    """One question with its category and ordered options (any course: callers check)."""
    return _with_options(Question.objects.all()).get(pk=pk)


def questions_by_key(*, course: Course, keys: Iterable[str]) -> dict[str, Question]:
    """The course's questions among `keys`, by key, with category and options."""
    found = _with_options(Question.objects.filter(course=course, key__in=list(keys)))
    return {question.key: question for question in found}


def question_bank_courses(*, user: Any) -> QuerySet[Course]:
    """The courses whose bank this user may import into or export: their own."""
    return courses_editable_by(user).order_by("title")


def question_categories_for(*, user: Any) -> QuerySet[QuestionCategory]:
    """The categories of the courses this user may edit, with their course."""
    return (
        QuestionCategory.objects.filter(course__in=courses_editable_by(user).values("pk"))
        .select_related("course")
        .order_by("course__title", "name")
    )


def question_pool_size(*, course: Course, categories: Iterable[QuestionCategory] = ()) -> int:
    """Active questions an exam of `course` may draw from: the chosen categories', or the
    whole bank's when none is chosen."""
    questions = Question.objects.filter(course=course, is_active=True)
    category_ids = [category.pk for category in categories]
    if category_ids:
        questions = questions.filter(category_id__in=category_ids)
    return questions.count()


def exam_draw_problems(*, course: Course) -> list[str]:
    """Why some exam of `course` could not be started: it draws more questions than its
    bank (or a category quota more than its category) holds. Both numbers in each line.
    Four queries, however many exams."""
    exams = list(
        Exam.objects.filter(course=course)
        .prefetch_related("categories", "quotas__category")
        .order_by("-is_final", "title", "pk")
    )
    if not exams:
        return []
    sizes = dict(
        Question.objects.filter(course=course, is_active=True)
        .values("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    problems: list[str] = []
    for exam in exams:
        quotas = list(exam.quotas.all())
        if quotas:
            for quota in quotas:
                available = sizes.get(quota.category_id, 0)
                if quota.count > available:
                    problems.append(
                        gettext(
                            "“%(exam)s” draws %(count)d questions from the category "
                            "“%(category)s”, which holds only %(available)d active questions."
                        )
                        % {
                            "exam": exam,
                            "count": quota.count,
                            "category": quota.category.name,
                            "available": available,
                        }
                    )
            continue
        chosen = [category.pk for category in exam.categories.all()]
        available = sum(sizes.get(pk, 0) for pk in chosen) if chosen else sum(sizes.values())
        if exam.question_count > available:
            problems.append(
                gettext(
                    "“%(exam)s” draws %(count)d questions, but its bank holds only "
                    "%(available)d active questions."
                )
                % {"exam": exam, "count": exam.question_count, "available": available}
            )
    return problems
