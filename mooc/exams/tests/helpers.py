"""Helpers for the exam tests that are not model factories: a fixed clock, the answer
positions of an attempt, a running attempt with its save token, threads for the
PostgreSQL races, and parsed questions as the import formats produce them."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connections

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.formats import ParsedOption, ParsedQuestion, ParseIssue, ParseResult
from mooc.exams.models import Attempt, AttemptAnswer, AttemptQuestion
from mooc.exams.selectors.banks import question_bank_list
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.banks import question_content
from mooc.exams.services.clock import SAVE_GRACE
from mooc.exams.services.save_tokens import save_token_issue
from mooc.exams.tests.factories import ExamFactory, make_bank

T = TypeVar("T")

# A fixed "now" for tests that move the clock by passing `now`.
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


# --- Attempts -------------------------------------------------------------------------------


def right_positions(attempt: Attempt) -> dict[int, int]:
    """Position of the full-weight option of each question of `attempt`, by question position."""
    return {
        q.position: next(o.position for o in q.shown_options if o.weight == 100)
        for q in AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot")
    }


def wrong_positions(attempt: Attempt) -> dict[int, int]:
    return {
        q.position: next(o.position for o in q.shown_options if o.weight == 0)
        for q in AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot")
    }


def running_attempt() -> Attempt:
    """A learner's attempt at a 5-question exam of a published course, just started."""
    course = CourseFactory.create()
    make_bank(course, size=5)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    return attempt_start(exam=ExamFactory.create(course=course, question_count=5), user=user)


def stored(attempt: Attempt, position: int = 0) -> tuple[list[int], int] | None:
    """The stored answer to the question at `position`: (option positions, client seq)."""
    answer = AttemptAnswer.objects.filter(
        attempt_question__attempt=attempt, attempt_question__position=position
    ).first()
    return None if answer is None else (answer.option_positions, answer.client_seq)


def token_of(attempt: Attempt) -> str:
    attempt.refresh_from_db()
    return save_token_issue(
        attempt=attempt, user=User.objects.get(pk=attempt.user_id), grace=SAVE_GRACE
    )


def in_threads(calls: list[Callable[[], T]]) -> list[T | Exception]:
    """Run every call in its own thread and connection, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T | Exception:
        try:
            barrier.wait()
            return call()
        except Exception as error:  # noqa: BLE001 - reported to the test
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


# --- Parsed questions, as the GIFT and Aiken parsers return them ----------------------------


def option(text: str, weight: int | str = 0, feedback: str = "") -> ParsedOption:
    return ParsedOption(text=text, weight=Decimal(weight), feedback=feedback)


def single(
    text: str = "<p>Ibu kota Indonesia?</p>",
    *,
    line: int = 1,
    title: str = "",
    category: str = "",
    options: Iterable[ParsedOption] | None = None,
    general_feedback: str = "",
) -> ParsedQuestion:
    return ParsedQuestion(
        line=line,
        qtype="single",
        text=text,
        options=tuple(
            options
            if options is not None
            else (option("Jakarta", 100, "Benar."), option("Bandung"), option("Surabaya"))
        ),
        title=title,
        category=category,
        general_feedback=general_feedback,
    )


def multiple(
    text: str = "<p>Nilai dasar ASN?</p>", *, line: int = 1, title: str = ""
) -> ParsedQuestion:
    return ParsedQuestion(
        line=line,
        qtype="multiple",
        text=text,
        options=(
            option("Akuntabel", 50),
            option("Kompeten", 50),
            option("Malas", -100, "Bukan nilai dasar."),
        ),
        title=title,
    )


def truefalse(
    text: str = "<p>ASN wajib netral.</p>", *, line: int = 1, title: str = ""
) -> ParsedQuestion:
    return ParsedQuestion(
        line=line,
        qtype="truefalse",
        text=text,
        options=(option("True", 100), option("False", 0)),  # as parse_gift names them in English
        title=title,
    )


def skipped(line: int, name: str, reason: str = "Essay questions are not supported.") -> ParseIssue:
    return ParseIssue(line=line, kind="skipped", name=name, reason=reason)


def failed(line: int, name: str, reason: str = "No correct answer.") -> ParseIssue:
    return ParseIssue(line=line, kind="failed", name=name, reason=reason)


def result(*questions: ParsedQuestion, issues: Iterable[ParseIssue] = ()) -> ParseResult:
    return ParseResult(questions=list(questions), issues=list(issues))


def bank(course: Course) -> list[dict[str, Any]]:
    """The course's bank as plain data, for comparing banks."""
    return [question_content(question).as_dict() for question in question_bank_list(course=course)]
