"""The learner's exam pages: landing, one question per page, autosave, submit, result, history.

Rules kept here:
- A learner only ever reaches their own attempts: every read filters by the signed-in
  user, so someone else's attempt answers 404, exactly like a missing one.
- The clock is the server's: every page computes the remaining time from the attempt's
  deadline, and any read of an attempt past its deadline grades it first.
- Nothing before grading reads the answer key (see `selectors.attempts`).
"""

from __future__ import annotations

import functools
import json
import time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from mooc.accounts.models import User
from mooc.accounts.sessions import session_checked_by_view, session_idle_check
from mooc.core.admission import admission_page, admission_take
from mooc.core.errors import ServiceError
from mooc.exams.grading import learning_gain
from mooc.exams.lanes import FAST_MISSED, save_by_token
from mooc.exams.models import (
    Attempt,
    AttemptState,
    Exam,
    review_shows_score,
)
from mooc.exams.selectors.attempts import (
    GridItem,
    TakingQuestion,
    attempt_get_for_user,
    attempt_grid,
    attempt_history,
    attempt_questions_for_taking,
    attempt_review_rows,
    exam_attempts_for_user,
    exam_get,
    pretest_score,
    review_shows_key,
)
from mooc.exams.services import answers, clock, save_tokens, submission
from mooc.exams.services.attempts import attempt_may_start, attempt_open_check, attempt_start
from mooc.learning.permissions import can_study

# Codes of `ServiceError` that mean "this attempt takes no more answers".
_CLOSED_CODES = {"time_up", "submitted"}


def _learner(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _wants_json(request: HttpRequest) -> bool:
    # META, not request.headers: that builds a dict of every header (5 % of a save).
    return "application/json" in request.META.get("HTTP_ACCEPT", "")


def _exam_for_learner(request: HttpRequest, exam_id: int) -> Exam:
    exam = exam_get(exam_id=exam_id)
    if exam is None or not can_study(_learner(request), exam.course):
        raise Http404
    return exam


def _save_token(request: HttpRequest, attempt: Attempt) -> str:
    """A save token for the signed-in learner's running attempt
    (mooc/exams/services/save_tokens.py)."""
    return save_tokens.save_token_issue(
        attempt=attempt, user=_learner(request), grace=clock.SAVE_GRACE
    )


def _attempt_for_learner(request: HttpRequest, attempt_id: int) -> Attempt:
    """The signed-in learner's attempt, graded first if its time ran out; else 404."""
    attempt = attempt_get_for_user(attempt_id=attempt_id, user=_learner(request))
    if attempt is None:
        raise Http404
    return submission.attempt_grade_if_expired(attempt=attempt)


def _question_url(attempt: Attempt, number: int) -> str:
    return reverse("exams:question", args=[attempt.pk, number])


def _question_url_prefix(attempt: Attempt) -> str:
    """ ".../soal/" of the attempt: the grid appends each number (one reverse, not twenty)."""
    return _question_url(attempt, 1).removesuffix("1/")


def _result_url(attempt: Attempt) -> str:
    return reverse("exams:result", args=[attempt.pk])


def _clock(seconds: int) -> str:
    """1:05:09 or 05:09, as the countdown shows it before JavaScript runs."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _timer_context(attempt: Attempt) -> dict[str, Any]:
    seconds = clock.attempt_remaining_seconds(attempt)
    return {"remaining_seconds": seconds, "remaining_label": _clock(seconds)}


def _may_start(exam: Exam, user: User, attempts: list[Attempt]) -> ServiceError | None:
    """Why the learner may not start a new attempt now (None: they may)."""
    try:
        # The start rules' own check (read-only), so the page and `attempt_start` agree.
        attempt_may_start(exam=exam, user=user, now=timezone.now(), previous=attempts)
    except ServiceError as error:
        return error
    return None


def _start_context(exam: Exam, user: User) -> dict[str, Any]:
    attempts = exam_attempts_for_user(exam=exam, user=user)
    running = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    if running is not None:
        running = submission.attempt_grade_if_expired(attempt=running)
        if running.state != AttemptState.IN_PROGRESS:
            running = None
    used = len(attempts)
    left = None if exam.max_attempts is None else max(exam.max_attempts - used, 0)
    refusal = None if running is not None else _may_start(exam, user, attempts)
    return {
        "exam": exam,
        "course": exam.course,
        "attempts": attempts,
        "attempts_used": used,
        "attempts_left": left,
        "running": running,
        "refusal": refusal,
    }


# --- Landing and start --------------------------------------------------------------------------


@require_safe
@never_cache
@login_required
def landing(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = _exam_for_learner(request, exam_id)
    return render(request, "exams/landing.html", _start_context(exam, _learner(request)))


@require_POST
@login_required
def start(request: HttpRequest, exam_id: int) -> HttpResponse:
    """Start (or resume) the learner's attempt. A new attempt takes a turn in the
    exam-start queue first (mooc/core/admission.py): past what the servers start per
    second, the learner gets a "Menunggu giliran…" page that comes back by itself."""
    exam = _exam_for_learner(request, exam_id)
    user = _learner(request)
    # One read of the learner's attempts serves the queue's question (resuming never
    # queues) and the start rules.
    attempts = exam_attempts_for_user(exam=exam, user=user)
    if not any(a.state == AttemptState.IN_PROGRESS for a in attempts):
        try:
            attempt_open_check(exam=exam, now=timezone.now())
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("exams:landing", exam_id=exam.pk)
        admission = admission_take(
            "exam-start",
            subject=str(user.pk),
            rate=settings.EXAM_START_ADMISSION_RATE,
            max_wait=settings.EXAM_START_ADMISSION_MAX_WAIT,
            ticket=request.POST.get("ticket", "")[:500],
        )
        if not admission.admitted:
            return admission_page(
                request,
                admission,
                title=_("Waiting for your turn…"),
                message=_(
                    "Many learners are starting the exam at this moment. Your turn comes "
                    "in about %(seconds)d seconds; this page continues by itself."
                ),
                action=reverse("exams:start", args=[exam.pk]),
                fields=[],
            )
    try:
        attempt = attempt_start(exam=exam, user=user, previous=attempts)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("exams:landing", exam_id=exam.pk)
    return redirect(_question_url(attempt, 1))


# --- Taking -------------------------------------------------------------------------------------


def _taking_item(question: TakingQuestion, *, total: int, prefix: str) -> dict[str, Any]:
    """What the page shows of one question (see selectors.attempts.TakingQuestion)."""
    number = question.number
    return {
        "number": number,
        "text": question.text,
        "image_url": f"{prefix}{number}/gambar/" if question.has_image else "",
        "multiple": question.multiple,
        "options": [
            (position, text, position in question.chosen) for position, text in question.options
        ],
        "answered": bool(question.chosen),
        "previous_number": number - 1 if number > 1 else None,
        "previous_url": f"{prefix}{number - 1}/" if number > 1 else "",
        "next_number": number + 1 if number < total else None,
        "next_url": f"{prefix}{number + 1}/" if number < total else "",
    }


@functools.lru_cache(maxsize=256)
def _unanswered_messages(language: str, total: int) -> str:
    """What the submit confirmation says for 0, 1, … `total` unanswered questions, as
    JSON (the submit page's sentences; exam.js picks one by the grid's count). The same
    for every learner of an exam: built once per language and size, not on each of
    thousands of question pages."""
    return json.dumps(
        [_("Every question is answered.")]
        + [
            ngettext(
                "%(counter)s of %(total)s questions is not answered yet.",
                "%(counter)s of %(total)s questions are not answered yet.",
                count,
            )
            % {"counter": count, "total": total}
            for count in range(1, total + 1)
        ],
        ensure_ascii=False,
    )


@require_safe
@never_cache
@login_required
def question(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Question `position` of the attempt, and every other question in inert <template>s:
    exam.js moves between them without a page load (one request per attempt instead of
    one per question on exam day, and moving on works on a dropped connection). Without
    JavaScript each question is its own page, as the URL says."""
    attempt = _attempt_for_learner(request, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect(_result_url(attempt))
    prefix = _question_url_prefix(attempt)
    questions = attempt_questions_for_taking(attempt=attempt)
    total = len(questions)
    if not 1 <= position <= total:
        raise Http404
    items = [_taking_item(q, total=total, prefix=prefix) for q in questions]
    grid = [GridItem(number=item["number"], answered=item["answered"]) for item in items]
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "course": attempt.exam.course,
        "current": items[position - 1],
        "questions": items,
        "number": position,
        "total": total,
        "grid": grid,
        "question_url_prefix": prefix,
        "submit_url": reverse("exams:submit", args=[attempt.pk]),
        "unanswered": sum(1 for item in grid if not item.answered),
        "unanswered_messages": _unanswered_messages(get_language(), total),
        "client_seq": time.time_ns() // 1_000_000,
        "save_token": _save_token(request, attempt),
    }
    context.update(_timer_context(attempt))
    return render(request, "exams/question.html", context)


def _save_fields(request: HttpRequest) -> dict[str, list[str]]:
    """The save form's fields. exam.js posts three small urlencoded fields: read with
    parse_qsl they cost a tenth of what building request.POST did (a tenth of a save);
    anything else, or too many fields (TooManyFieldsSent, a 400), goes to request.POST."""
    if request.content_type == "application/x-www-form-urlencoded":
        fields: dict[str, list[str]] = {}
        try:
            pairs = parse_qsl(
                request.body.decode(request.encoding or "utf-8", "replace"),
                keep_blank_values=True,
                max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            )
        except ValueError:
            pass
        else:
            for key, value in pairs:
                fields.setdefault(key, []).append(value)
            return fields
    return dict(request.POST.lists())


def _parse_save(request: HttpRequest) -> tuple[int, list[int], int] | None:
    fields = _save_fields(request)
    try:
        number = int(fields.get("position", [""])[-1])
        options = [int(value) for value in fields.get("options", [])]
        seq_raw = fields.get("client_seq", [""])[-1]
        client_seq = int(seq_raw) if seq_raw else time.time_ns() // 1_000_000
    except ValueError:
        return None
    if number < 1 or client_seq < 0 or client_seq > 2**62:
        return None
    return number, options, client_seq


def _form_target(request: HttpRequest, attempt_id: int, number: int) -> str:
    """Where a plain form post goes after saving: the button pressed decides."""
    go = request.POST.get("go", "next")
    if go == "submit":
        return reverse("exams:submit", args=[attempt_id])
    if go == "previous":
        return reverse("exams:question", args=[attempt_id, max(number - 1, 1)])
    if go.isdigit() and int(go) >= 1:
        return reverse("exams:question", args=[attempt_id, int(go)])
    return reverse("exams:question", args=[attempt_id, number + 1])


@csrf_exempt  # a good save token protects the fast path; the rest checks CSRF itself
@session_checked_by_view
@require_POST
def save(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Store one answer. fetch (Accept: application/json) gets JSON; a plain form is
    redirected to the next question. Closed attempts answer 409.

    The common case, a fetch with a good save token that simply lands, is
    `save_fast` (usually already answered in the save lane, mooc/exams/savelane.py);
    anything else takes the fully authenticated path below, which also explains a
    refusal and hands out a fresh token."""
    response = save_fast(request, attempt_id)
    if response is not None:
        return response
    session_idle_check(request)
    return _save_checked(request, attempt_id, _parse_save(request))


_FAST_MISSED = FAST_MISSED


def save_fast(request: HttpRequest, attempt_id: int) -> HttpResponse | None:
    """The save of a fetch with a good save token, or None when it did not simply
    land: no session read, one SQL statement that checks the token's user as well
    (`answers.answer_save_as`)."""
    if getattr(request, _FAST_MISSED, False):
        return None  # the save lane tried already: no second statement
    landed = save_by_token(request, attempt_id, _parse_save)
    if landed is None:
        return None
    number, result = landed
    return _saved(request, attempt_id, number, result)


def save_fast_missed(request: HttpRequest) -> None:
    """Note that `save_fast` ran for this request and did not land."""
    setattr(request, _FAST_MISSED, True)


def _saved(
    request: HttpRequest,
    attempt_id: int,
    number: int,
    result: answers.SaveResult,
    *,
    save_token: str | None = None,
) -> HttpResponse:
    if _wants_json(request):
        answer: dict[str, Any] = {
            "ok": True,
            "position": result.position + 1,
            "options": result.option_positions,
            "client_seq": result.client_seq,
            "applied": result.applied,
            "answered": bool(result.option_positions),
        }
        if save_token:
            answer["save_token"] = save_token
        return JsonResponse(answer)
    return redirect(_form_target(request, attempt_id, number))


@csrf_protect
@login_required
def _save_checked(
    request: HttpRequest, attempt_id: int, parsed: tuple[int, list[int], int] | None
) -> HttpResponse:
    as_json = _wants_json(request)
    if parsed is None:
        if as_json:
            return JsonResponse(
                {"ok": False, "code": "invalid", "message": _("The answer could not be read.")},
                status=400,
            )
        raise Http404
    number, options, client_seq = parsed
    user = _learner(request)
    try:
        result = answers.answer_save(
            attempt_id=attempt_id,
            user=user,
            position=number - 1,
            option_positions=options,
            client_seq=client_seq,
        )
    except ServiceError as error:
        if error.code == "not_found":
            raise Http404 from None
        if error.code in _CLOSED_CODES:
            attempt = _attempt_for_learner(request, attempt_id)  # grades it if time ran out
            if as_json:
                return JsonResponse(
                    {
                        "ok": False,
                        "code": error.code,
                        "message": str(error.message),
                        "result_url": _result_url(attempt),
                    },
                    status=409,
                )
            messages.error(request, error.message)
            return redirect(_result_url(attempt))
        if as_json:
            return JsonResponse(
                {"ok": False, "code": error.code, "message": str(error.message)}, status=400
            )
        messages.error(request, error.message)
        return redirect(reverse("exams:question", args=[attempt_id, number]))
    # The page's token did not serve (none, expired, logged out elsewhere, extended
    # deadline): a fresh one for the next saves.
    fresh = None
    if as_json:
        running = attempt_get_for_user(attempt_id=attempt_id, user=user)
        if running is not None and running.state == AttemptState.IN_PROGRESS:
            fresh = _save_token(request, running)
    return _saved(request, attempt_id, number, result, save_token=fresh)


@require_safe
@never_cache
@login_required
def status(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """The server's clock and the confirmed answers, for re-syncing a tab that slept."""
    attempt = _attempt_for_learner(request, attempt_id)
    in_progress = attempt.state == AttemptState.IN_PROGRESS
    answered = [item.number for item in attempt_grid(attempt=attempt) if item.answered]
    return JsonResponse(
        {
            "state": attempt.state,
            "remaining_seconds": clock.attempt_remaining_seconds(attempt),
            "deadline": attempt.deadline.isoformat(),
            "answered": answered if in_progress else [],
            "result_url": None if in_progress else _result_url(attempt),
            "save_token": _save_token(request, attempt) if in_progress else None,
        }
    )


# --- Submit and result --------------------------------------------------------------------------


@never_cache
@login_required
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_for_learner(request, attempt_id)
    if request.method == "POST":
        try:
            attempt = submission.attempt_submit(attempt_id=attempt.pk, user=_learner(request))
        except ServiceError as error:
            if error.code == "not_found":
                raise Http404 from None
            messages.error(request, error.message)
        return redirect(_result_url(attempt))
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect(_result_url(attempt))
    grid = attempt_grid(attempt=attempt)
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "course": attempt.exam.course,
        "grid": grid,
        "question_url_prefix": _question_url_prefix(attempt),
        "total": len(grid),
        "unanswered": sum(1 for item in grid if not item.answered),
    }
    context.update(_timer_context(attempt))
    return render(request, "exams/submit.html", context)


def _review_points(value: Decimal) -> Decimal:
    """The result page writes points without trailing zeros ("0.5 of 1")."""
    return value.normalize()


@require_safe
@never_cache
@login_required
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_for_learner(request, attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect(_question_url(attempt, 1))
    exam = attempt.exam
    mode = exam.review_mode
    graded = attempt.state == AttemptState.GRADED
    # "Nothing" shows passed or failed; "score only", and "correct answers after
    # passing" before a pass, add the score; the questions only where the key may show.
    with_key = review_shows_key(attempt=attempt)
    context = _start_context(exam, _learner(request))
    context.update(
        attempt=attempt,
        review=(
            attempt_review_rows(attempt=attempt, with_key=with_key, rounding=_review_points)
            if with_key
            else []
        ),
        with_key=with_key,
        shows_score=review_shows_score(mode),
    )
    if exam.is_final and graded:
        # After the final test the learner sees what they gained since the pre-test.
        pre = pretest_score(user=_learner(request), course_id=exam.course_id)
        context.update(
            pretest_score=pre,
            gain=learning_gain(pre=pre, post=attempt.score),
        )
    return render(request, "exams/result.html", context)


# --- History ------------------------------------------------------------------------------------


@require_safe
@never_cache
@login_required
def history(request: HttpRequest) -> HttpResponse:
    attempts = list(attempt_history(user=_learner(request)))
    return render(request, "exams/history.html", {"attempts": attempts})
