"""Exams: landing, start, attempt state, answer save, submit, result, history.

The same rules as the web pages (mooc/exams/views.py): only the learner's own
attempts (anyone else's is a 404), the server's clock (remaining seconds from the
attempt's deadline; a read past it grades first), no answer key before grading and
after it only as the exam's review mode allows (`review_shows_key`).

The answer save is the exam day's hot path. Its common case rides the exams' save
lane (mooc/exams/savelane.py) like the web's: with the attempt's save token (given by
the attempt state endpoint) in `X-Save-Token`, `answer_save_fast` saves in one SQL
statement that checks the token's claim, before any middleware or the framework.
Anything else (no or stale token, a refusal) comes to `answer_save`, which
authenticates the access token and explains the refusal.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from mooc.accounts.models import User
from mooc.api.auth import me
from mooc.api.files import signed_file_url
from mooc.api.problems import COMMON, ApiProblem, Problem, not_found
from mooc.core.errors import ServiceError
from mooc.exams.lanes import lane_missed, save_by_token
from mooc.exams.models import Attempt, AttemptState, Exam, review_shows_score
from mooc.exams.selectors.attempts import (
    attempt_get_for_user,
    attempt_history,
    attempt_questions_for_taking,
    attempt_review_rows,
    exam_attempts_for_user,
    exam_get,
    review_shows_key,
)
from mooc.exams.services import answers, clock, save_tokens, submission
from mooc.exams.services.attempts import attempt_may_start, attempt_start
from mooc.learning.permissions import can_study

router = Router(tags=["exams"])

ANSWER_SAVE_URL_NAME = "attempt_answer_save"
MAX_OPTIONS = 64
MAX_SEQ = 2**62
_MAX_SAVE_BODY = 4096


def _exam_for(request: HttpRequest, exam_id: int) -> Exam:
    exam = exam_get(exam_id=exam_id)
    if exam is None or not can_study(me(request), exam.course):
        raise not_found()
    return exam


def _attempt_for(request: HttpRequest, attempt_id: int) -> Attempt:
    """The caller's attempt, graded first if its time ran out; else 404."""
    attempt = attempt_get_for_user(attempt_id=attempt_id, user=me(request))
    if attempt is None:
        raise not_found()
    return submission.attempt_grade_if_expired(attempt=attempt)


class AttemptSummary(Schema):
    id: int
    number: int
    state: str
    score: str | None
    passed: bool | None
    started_at: str
    deadline: str


def _score(attempt: Attempt, exam: Exam) -> str | None:
    """The score, unless the exam's review mode ("Nothing") shows only passed or failed."""
    if attempt.score is None or not review_shows_score(exam.review_mode):
        return None
    return str(attempt.score)


def _summary(attempt: Attempt, exam: Exam) -> AttemptSummary:
    return AttemptSummary(
        id=attempt.pk,
        number=attempt.number,
        state=attempt.state,
        score=_score(attempt, exam),
        passed=attempt.passed,
        started_at=attempt.started_at.isoformat(),
        deadline=attempt.deadline.isoformat(),
    )


class ExamOut(Schema):
    id: int
    title: str
    course: str
    is_final: bool
    question_count: int
    time_limit_minutes: int
    passing_grade: str
    max_attempts: int | None
    attempts_used: int
    attempts_left: int | None
    review_mode: str
    running_attempt_id: int | None
    may_start: bool
    refusal: str | None
    attempts: list[AttemptSummary]


@router.get("/exams/{exam_id}/", response={200: ExamOut, **COMMON}, summary="An exam's landing")
def exam_landing(request: HttpRequest, exam_id: int) -> ExamOut:
    exam = _exam_for(request, exam_id)
    user = me(request)
    attempts = exam_attempts_for_user(exam=exam, user=user)
    running = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    if running is not None:
        running = submission.attempt_grade_if_expired(attempt=running)
        if running.state != AttemptState.IN_PROGRESS:
            running = None
    refusal: ServiceError | None = None
    if running is None:
        try:
            attempt_may_start(exam=exam, user=user, now=timezone.now())
        except ServiceError as error:
            refusal = error
    used = len(attempts)
    return ExamOut(
        id=exam.pk,
        title=exam.title,
        course=exam.course.slug,
        is_final=exam.is_final,
        question_count=exam.question_count,
        time_limit_minutes=exam.time_limit_minutes,
        passing_grade=str(exam.passing_grade),
        max_attempts=exam.max_attempts,
        attempts_used=used,
        attempts_left=None if exam.max_attempts is None else max(exam.max_attempts - used, 0),
        review_mode=exam.review_mode,
        running_attempt_id=running.pk if running is not None else None,
        may_start=running is None and refusal is None,
        refusal=str(refusal.message) if refusal is not None else None,
        attempts=[_summary(a, exam) for a in attempts],
    )


class OptionOut(Schema):
    position: int
    text: str


class QuestionOut(Schema):
    number: int
    text: str
    has_image: bool
    image_url: str | None = Field(None, description="A short-lived signed link to its picture")
    multiple: bool
    options: list[OptionOut]
    chosen: list[int]


class AttemptOut(Schema):
    id: int
    exam_id: int
    state: str
    remaining_seconds: int
    deadline: str
    save_token: str | None = Field(
        None, description="Send it in X-Save-Token with each answer save (the fast path)."
    )
    questions: list[QuestionOut]


def _attempt_state(request: HttpRequest, attempt: Attempt) -> AttemptOut:
    running = attempt.state == AttemptState.IN_PROGRESS
    questions = attempt_questions_for_taking(attempt=attempt) if running else []
    return AttemptOut(
        id=attempt.pk,
        exam_id=attempt.exam_id,
        state=attempt.state,
        remaining_seconds=clock.attempt_remaining_seconds(attempt) if running else 0,
        deadline=attempt.deadline.isoformat(),
        save_token=save_tokens.save_token_issue(
            attempt=attempt, user=me(request), grace=clock.SAVE_GRACE
        )
        if running
        else None,
        questions=[
            QuestionOut(
                number=q.number,
                text=q.text,
                has_image=q.has_image,
                image_url=signed_file_url(
                    request, kind="question", object_id=f"{attempt.pk}-{q.number}", user=me(request)
                )
                if q.has_image
                else None,
                multiple=q.multiple,
                options=[OptionOut(position=p, text=t) for p, t in q.options],
                chosen=sorted(q.chosen),
            )
            for q in questions
        ],
    )


@router.post(
    "/exams/{exam_id}/attempts/",
    response={201: AttemptOut, 409: Problem, **COMMON},
    summary="Start an attempt (or get the running one)",
)
def exam_start(request: HttpRequest, exam_id: int) -> Status[AttemptOut]:
    exam = _exam_for(request, exam_id)
    attempt = attempt_start(exam=exam, user=me(request))
    return Status(201, _attempt_state(request, attempt))


@router.get(
    "/attempts/{attempt_id}/",
    response={200: AttemptOut, **COMMON},
    summary="An attempt: questions and options (no key), remaining seconds, my answers",
)
def attempt_state(request: HttpRequest, attempt_id: int) -> AttemptOut:
    return _attempt_state(request, _attempt_for(request, attempt_id))


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    position: int = Field(ge=1, le=10_000, description="The question's number, 1-based")
    options: list[int] = Field(max_length=MAX_OPTIONS, description="Chosen option positions")
    client_seq: int = Field(
        ge=0, le=MAX_SEQ, description="Increases with every save of the device (ms clock)"
    )


class AnswerOut(Schema):
    position: int
    options: list[int]
    client_seq: int
    applied: bool = Field(description="False: a newer save was stored; this is what is stored")
    answered: bool


def _saved(result: answers.SaveResult) -> dict[str, Any]:
    return {
        "position": result.position + 1,
        "options": result.option_positions,
        "client_seq": result.client_seq,
        "applied": result.applied,
        "answered": bool(result.option_positions),
    }


def _fast_body(request: HttpRequest) -> tuple[int, list[int], int] | None:
    if len(request.body) > _MAX_SAVE_BODY:
        return None
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"position", "options", "client_seq"}:
        return None
    position, options, seq = data["position"], data["options"], data["client_seq"]
    if not (
        type(position) is int
        and type(seq) is int
        and isinstance(options, list)
        and len(options) <= MAX_OPTIONS
        and all(type(o) is int for o in options)
        and 1 <= position <= 10_000
        and 0 <= seq <= MAX_SEQ
    ):
        return None
    return position, options, seq


def answer_save_fast(request: HttpRequest, attempt_id: int | str) -> HttpResponse | None:
    """The save lane's API save: a good save token and a save that simply lands, in
    one statement; None otherwise (then the full path answers). The lane passes the
    URL's `attempt_id` as the resolver gives it."""
    try:
        attempt_id = int(attempt_id)
    except ValueError:
        return None
    landed = save_by_token(request, attempt_id, _fast_body)
    if landed is None:
        return None
    _number, result = landed
    return JsonResponse(_saved(result))


@router.post(
    "/attempts/{attempt_id}/answers/",
    url_name=ANSWER_SAVE_URL_NAME,
    response={200: AnswerOut, 409: Problem, **COMMON},
    summary="Save one answer (idempotent by client_seq)",
)
def answer_save(request: HttpRequest, attempt_id: int, payload: AnswerIn) -> HttpResponse:
    if not lane_missed(request):
        fast = answer_save_fast(request, attempt_id)
        if fast is not None:
            return fast
    try:
        result = answers.answer_save(
            attempt_id=attempt_id,
            user=me(request),
            position=payload.position - 1,
            option_positions=payload.options,
            client_seq=payload.client_seq,
        )
    except ServiceError as error:
        if error.code == "not_found":
            raise not_found() from None
        if error.code in ("time_up", "submitted"):
            _attempt_for(request, attempt_id)  # grades it if the time ran out
            raise ApiProblem(409, error.code, str(error.message)) from None
        if error.code == "invalid":
            raise ApiProblem(422, "invalid", str(error.message)) from None
        raise ApiProblem(409, error.code or "refused", str(error.message)) from None
    return JsonResponse(_saved(result))


class ReviewOptionOut(Schema):
    position: int
    text: str
    chosen: bool
    is_key: bool | None
    feedback: str


class ReviewRowOut(Schema):
    number: int
    text: str
    answered: bool
    points: str
    max_points: str
    correct: bool | None
    general_feedback: str
    options: list[ReviewOptionOut]


class ResultOut(Schema):
    attempt: AttemptSummary
    exam_id: int
    review_mode: str
    with_key: bool
    questions: list[ReviewRowOut]


def _points(value: Decimal) -> Decimal:
    return value.normalize()


def _result(attempt: Attempt) -> ResultOut:
    with_key = review_shows_key(attempt=attempt)
    rows = attempt_review_rows(attempt=attempt, with_key=True, rounding=_points) if with_key else []
    return ResultOut(
        attempt=_summary(attempt, attempt.exam),
        exam_id=attempt.exam_id,
        review_mode=attempt.exam.review_mode,
        with_key=with_key,
        questions=[
            ReviewRowOut(
                number=row.number,
                text=row.text,
                answered=row.answered,
                points=str(row.points),
                max_points=str(row.max_points),
                correct=row.correct,
                general_feedback=row.general_feedback,
                options=[
                    ReviewOptionOut(
                        position=o.position,
                        text=o.text,
                        chosen=o.chosen,
                        is_key=o.is_key,
                        feedback=o.feedback,
                    )
                    for o in row.options
                ],
            )
            for row in rows
        ],
    )


@router.post(
    "/attempts/{attempt_id}/submit/",
    response={200: ResultOut, 409: Problem, **COMMON},
    summary="Submit (twice is harmless: graded once)",
)
def attempt_submit(request: HttpRequest, attempt_id: int) -> ResultOut:
    attempt = _attempt_for(request, attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        attempt = submission.attempt_submit(attempt_id=attempt.pk, user=me(request))
    return _result(attempt)


@router.get(
    "/attempts/{attempt_id}/result/",
    response={200: ResultOut, 409: Problem, **COMMON},
    summary="The result, per the exam's review mode",
)
def attempt_result(request: HttpRequest, attempt_id: int) -> ResultOut:
    attempt = _attempt_for(request, attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        raise ApiProblem(409, "in_progress", _("This attempt is still running."))
    return _result(attempt)


class HistoryItem(Schema):
    attempt_id: int
    number: int
    exam_id: int
    exam_title: str
    is_final: bool
    course: str
    course_title: str
    submitted_at: str | None
    score: str | None
    passed: bool | None


@router.get("/me/attempts/", response={200: list[HistoryItem], **COMMON}, summary="Exam history")
def history(request: HttpRequest) -> list[HistoryItem]:
    user: User = me(request)
    return [
        HistoryItem(
            attempt_id=a.pk,
            number=a.number,
            exam_id=a.exam.pk,
            exam_title=a.exam.title,
            is_final=a.exam.is_final,
            course=a.exam.course.slug,
            course_title=a.exam.course.title,
            submitted_at=a.submitted_at.isoformat() if a.submitted_at else None,
            score=_score(a, a.exam),
            passed=a.passed,
        )
        for a in attempt_history(user=user)[:200]
    ]
