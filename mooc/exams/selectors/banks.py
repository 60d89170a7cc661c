"""Reads of the question banks, each with the joins its callers need."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from mooc.catalog.models import Course
from mooc.catalog.permissions import courses_editable_by
from mooc.exams.models import Option, Question, QuestionCategory


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
