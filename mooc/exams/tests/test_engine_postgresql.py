"""Real concurrency on PostgreSQL: threads, each with its own connection.

Skipped on SQLite, which serialises writers and cannot show these races. Run with
DATABASE_URL=postgres://…; pytest-django creates and drops its own test database.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import pytest
from django.db import connection
from django.utils import timezone

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Enrollment
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.errors import ServiceError
from mooc.exams.models import Attempt, AttemptAnswer
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.clock import SAVE_GRACE
from mooc.exams.services.submission import attempt_submit, attempts_grade_expired
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import in_threads, right_positions

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


T = TypeVar("T")


def started_attempt(questions: int = 10) -> Attempt:
    course = CourseFactory.create()
    make_bank(course, size=questions)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    return attempt_start(
        exam=ExamFactory.create(course=course, question_count=questions), user=user
    )


def test_twenty_simultaneous_submits_grade_once() -> None:
    attempt = started_attempt()
    right = right_positions(attempt)
    for position in range(7):
        answer_save(
            attempt_id=attempt.pk,
            user=attempt.user,
            position=position,
            option_positions=[right[position]],
            client_seq=1,
        )

    results = in_threads(
        [lambda: attempt_submit(attempt_id=attempt.pk, user=attempt.user) for _ in range(20)]
    )

    assert not [r for r in results if isinstance(r, Exception)]
    graded = {(r.graded_at, r.score, r.state) for r in results if isinstance(r, Attempt)}
    assert len(graded) == 1
    attempt.refresh_from_db()
    assert (attempt.graded_at, attempt.score, attempt.state) == graded.pop()
    assert attempt.score == Decimal("70.00")
    enrollment = Enrollment.objects.get(user=attempt.user)
    assert (enrollment.result, enrollment.final_score) == ("passed", Decimal("70.00"))


def test_simultaneous_starts_create_one_attempt() -> None:
    course = CourseFactory.create()
    make_bank(course)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    exam = ExamFactory.create(course=course)

    results = in_threads([lambda: attempt_start(exam=exam, user=user) for _ in range(10)])

    assert not [r for r in results if isinstance(r, Exception)]
    assert {r.pk for r in results if isinstance(r, Attempt)} == set(
        Attempt.objects.values_list("pk", flat=True)
    )
    assert Attempt.objects.count() == 1


def test_saves_racing_the_deadline_are_either_graded_or_refused() -> None:
    attempt = started_attempt(questions=20)
    # Every save runs on the real clock; the deadline falls in the middle of them.
    cutoff = timezone.now() + dt.timedelta(milliseconds=300)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=cutoff - SAVE_GRACE)
    right = right_positions(attempt)

    def saver(position: int) -> Callable[[], object]:
        def call() -> object:
            # Spread the saves over ±300 ms around the cut-off.
            threading.Event().wait(random.uniform(0, 0.6))
            return answer_save(
                attempt_id=attempt.pk,
                user=attempt.user,
                position=position,
                option_positions=[right[position]],
                client_seq=1,
            )

        return call

    def grader() -> object:
        graded = 0
        while not graded:
            graded = attempts_grade_expired()
            threading.Event().wait(0.01)
        return graded

    results = in_threads([saver(p) for p in range(20)] + [grader])

    accepted = {p for p, r in enumerate(results[:20]) if not isinstance(r, Exception)}
    refused = [r for r in results[:20] if isinstance(r, Exception)]
    assert accepted and refused, "the saves should straddle the deadline"
    assert all(isinstance(r, ServiceError) and r.code in {"time_up", "submitted"} for r in refused)
    stored = AttemptAnswer.objects.filter(attempt_question__attempt=attempt)
    assert {a.attempt_question.position for a in stored.select_related("attempt_question")} == (
        accepted
    )
    assert all(a.saved_at <= cutoff for a in stored)
    attempt.refresh_from_db()
    assert attempt.state == "graded"
    # Every acknowledged answer is in the grade: each was right, worth 5 points of 100.
    assert attempt.score == Decimal(5 * len(accepted))


def test_two_tabs_saving_in_either_order_keep_the_newer_answer() -> None:
    attempt = started_attempt()

    def tab(choice: int, seq: int) -> Callable[[], object]:
        return lambda: answer_save(
            attempt_id=attempt.pk,
            user=attempt.user,
            position=0,
            option_positions=[choice],
            client_seq=seq,
        )

    for round_ in range(10):
        calls = [tab(1, round_ * 2 + 1), tab(2, round_ * 2 + 2)]
        random.shuffle(calls)
        results = in_threads(calls)

        assert not [r for r in results if isinstance(r, Exception)]
        answer = AttemptAnswer.objects.get(attempt_question__attempt=attempt)
        assert (answer.option_positions, answer.client_seq) == ([2], round_ * 2 + 2)


def test_grading_does_not_wait_on_the_exam_row() -> None:
    """Grading locks the attempt, not the exam it reads with it: otherwise every
    submit of the exam would queue behind the one before (the end-of-exam rush), and
    behind anyone editing the exam. Here another connection holds the exam row."""
    submitted = started_attempt()
    other = UserFactory.create()
    EnrollmentFactory.create(user=other, course=submitted.exam.course)
    expired = attempt_start(exam=submitted.exam, user=other)
    Attempt.objects.filter(pk=expired.pk).update(
        deadline=timezone.now() - SAVE_GRACE - dt.timedelta(seconds=5)
    )
    import psycopg

    settings = connection.settings_dict
    holder = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    try:
        holder.execute("SELECT id FROM exams_exam WHERE id = %s FOR UPDATE", [submitted.exam_id])

        def with_lock_timeout(call: Callable[[], T]) -> Callable[[], T]:
            def run() -> T:
                with connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '3s'")
                return call()

            return run

        results = in_threads(
            [
                with_lock_timeout(
                    lambda: attempt_submit(attempt_id=submitted.pk, user=submitted.user)
                ),
                with_lock_timeout(lambda: attempts_grade_expired()),
            ]
        )
    finally:
        holder.rollback()
        holder.close()
    assert not [r for r in results if isinstance(r, Exception)], results
    for attempt in (submitted, expired):
        attempt.refresh_from_db()
        assert attempt.state == "graded"
