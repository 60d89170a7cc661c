"""Builders shared by the exam engine tests (plain functions, no tests here)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mooc.accounts.models import User
from mooc.catalog.models import Category, Course, Enrollment
from mooc.exams.models import Attempt, AttemptQuestion, Exam, Option, Question

_serial = itertools.count(1)

# A fixed "now" for tests that move the clock by passing `now`.
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


def make_user(username: str = "") -> User:
    username = username or f"peserta{next(_serial)}"
    return User.objects.create_user(
        username=username,
        password="Rahasia123",
        full_name=f"Peserta {username}",
        email=f"{username}@example.go.id",
        activated_at=timezone.now(),
    )


def make_course() -> Course:
    category, _ = Category.objects.get_or_create(slug="umum", defaults={"name": "Umum"})
    n = next(_serial)
    return Course.objects.create(
        slug=f"ujian-{n}",
        title=f"Kursus {n}",
        summary="Ringkasan.",
        category=category,
        jp=2,
        # Exams start only in published courses (`attempt_may_start`).
        is_published=True,
    )


def make_bank(course: Course, size: int = 5) -> list[Question]:
    """`size` single-answer questions "Q1".."Qn"; option "benar" (weight 100) is first."""
    questions = []
    for i in range(1, size + 1):
        question = Question.objects.create(
            course=course, key=f"q{i}", qtype="single", text=f"<p>Q{i}</p>"
        )
        Option.objects.bulk_create(
            Option(question=question, text=text, weight=Decimal(weight), order=order)
            for order, (text, weight) in enumerate(
                [("benar", 100), ("salah a", 0), ("salah b", 0), ("salah c", 0)]
            )
        )
        questions.append(question)
    return questions


def make_exam(course: Course, **fields: Any) -> Exam:
    fields.setdefault("title", "Ujian Akhir")
    fields.setdefault("is_final", True)
    fields.setdefault("question_count", 5)
    fields.setdefault("time_limit_minutes", 30)
    return Exam.objects.create(course=course, **fields)


def enrol(user: User, course: Course) -> Enrollment:
    return Enrollment.objects.create(user=user, course=course, jp=course.jp)


def right_positions(attempt: Attempt) -> dict[int, int]:
    """Position of the full-weight option of each question of `attempt`, by question position."""
    return {
        q.position: next(o.position for o in q.options.all() if o.weight == 100)
        for q in AttemptQuestion.objects.filter(attempt=attempt).prefetch_related("options")
    }


def wrong_positions(attempt: Attempt) -> dict[int, int]:
    return {
        q.position: next(o.position for o in q.options.all() if o.weight == 0)
        for q in AttemptQuestion.objects.filter(attempt=attempt).prefetch_related("options")
    }
