"""Submitting and grading an attempt, and recording the result on the enrolment.

An attempt is graded exactly once: the transition in_progress → graded happens under
the row lock, and whoever comes second (a double submit, the periodic job) finds it
graded and returns it as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mooc.accounts.models import User
from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.core.errors import ServiceError
from mooc.exams.grading import GradedQuestion, attempt_score, enrollment_outcome, is_passed
from mooc.exams.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    QuestionSnapshot,
)
from mooc.exams.services.clock import SAVE_GRACE, attempt_expired
from mooc.exams.signals import final_exam_passed


def _refuse(message: str, code: str) -> ServiceError:
    return ServiceError(message, code=code)


def on_final_exam_passed(enrollment: Enrollment) -> None:
    """Called once, inside the grading transaction, when an enrolment first becomes
    "passed" through its final exam: announces it (`signals.final_exam_passed`). The
    certificates app issues the certificate in its receiver, so the certificate row and
    the grade land together or neither does (numbering, rendering and mail follow after
    the commit)."""
    final_exam_passed.send(sender=Enrollment, enrollment=enrollment)


# Snapshot id → its options' weights in the bank's order. Snapshots never change, so a
# process keeps them: at the end of an exam every submit grades from the same few
# hundred, and reads only the attempt's own rows (not twenty snapshots' texts).
_WEIGHTS: dict[int, tuple[Decimal, ...]] = {}
_WEIGHTS_MAX = 20_000


def weights_cache_clear() -> None:
    """Forget the cached weights (tests that rebuild the database between runs)."""
    _WEIGHTS.clear()


def _snapshot_weights(snapshot_ids: set[int]) -> dict[int, tuple[Decimal, ...]]:
    missing = [pk for pk in snapshot_ids if pk not in _WEIGHTS]
    if missing:
        if len(_WEIGHTS) > _WEIGHTS_MAX:
            _WEIGHTS.clear()
        for pk, options in (
            QuestionSnapshot.objects.filter(pk__in=missing).order_by().values_list("id", "options")
        ):
            _WEIGHTS[pk] = tuple(Decimal(option["weight"]) for option in options)
    return {pk: _WEIGHTS[pk] for pk in snapshot_ids}


def _grade_locked(attempt: Attempt, *, now: dt.datetime, submitted: bool) -> Attempt:
    """Grade an attempt whose row the caller has locked and found in progress."""
    rows = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .order_by()
        .values_list(
            "snapshot_id", "option_order", "qtype", "max_points", "answer__option_positions"
        )
    )
    weights = _snapshot_weights({row[0] for row in rows})
    graded = [
        GradedQuestion(
            qtype=qtype,
            # Indexed by display position, as the answer's positions are.
            weights=[weights[snapshot_id][index] for index in option_order],
            chosen=chosen or [],
            max_points=max_points,
        )
        for snapshot_id, option_order, qtype, max_points, chosen in rows
    ]
    exam = attempt.exam
    attempt.score = attempt_score(graded)
    attempt.passed = is_passed(score=attempt.score, passing_grade=exam.passing_grade)
    # Time running out counts as submitting at the deadline.
    attempt.submitted_at = now if submitted else min(now, attempt.deadline)
    attempt.graded_at = now
    attempt.state = AttemptState.GRADED
    attempt.save(update_fields=["score", "passed", "submitted_at", "graded_at", "state"])
    if exam.is_final:
        _enrollment_record(attempt=attempt, now=now)
    return attempt


def _enrollment_record(*, attempt: Attempt, now: dt.datetime) -> None:
    """Best attempt wins: once passed, an enrolment stays passed."""
    exam = attempt.exam
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(user_id=attempt.user_id, course_id=exam.course_id)
        .first()
    )
    if enrollment is None:  # unenrolled by an admin meanwhile: nothing to record
        return
    best = Attempt.objects.filter(
        exam=exam, user_id=attempt.user_id, state=AttemptState.GRADED
    ).aggregate(best=Max("score"))["best"]
    fields = ["final_score", "updated_at"]
    enrollment.final_score = max(best or Decimal(0), enrollment.final_score or Decimal(0))
    newly_passed = False
    if enrollment.result != EnrollmentResult.PASSED:
        # Attempts are counted only when they can decide (a query the pass does not need).
        used = (
            Attempt.objects.filter(exam=exam, user_id=attempt.user_id).count()
            if not attempt.passed and exam.max_attempts is not None
            else 0
        )
        outcome = enrollment_outcome(
            passed=bool(attempt.passed),
            best_score=attempt.score,
            attempts_used=used,
            max_attempts=exam.max_attempts,
        )
        # Grading only ever completes an enrolment, at the moment of grading.
        if outcome.result:
            enrollment.status, enrollment.result = outcome
            enrollment.completed_at = now
            fields += ["status", "result", "completed_at"]
            newly_passed = outcome.result == EnrollmentResult.PASSED
    enrollment.save(update_fields=fields)
    if newly_passed:
        on_final_exam_passed(enrollment)


def attempt_submit(*, attempt_id: int, user: User, now: dt.datetime | None = None) -> Attempt:
    """Grade the learner's attempt with what was saved; a second submit returns it as graded."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            # of=("self",): FOR UPDATE would also lock the joined exam row, and every
            # submit of the exam would wait for the one before (the end-of-exam rush).
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam")
            .filter(pk=attempt_id, user=user)
            .first()
        )
        if attempt is None:
            raise _refuse(_("This exam attempt was not found."), "not_found")
        if attempt.state != AttemptState.IN_PROGRESS:
            return attempt
        # Submitting late is still a submit: it grades what was saved by the deadline.
        return _grade_locked(attempt, now=now, submitted=not attempt_expired(attempt, now))


def attempt_grade_if_expired(*, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    """Grade `attempt` if its time ran out; call it wherever an attempt is read."""
    now = now or timezone.now()
    if attempt.state != AttemptState.IN_PROGRESS or not attempt_expired(attempt, now):
        return attempt
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam")
            .get(pk=attempt.pk)
        )
        # Re-checked under the lock: a submit or an extension may have come first.
        if locked.state == AttemptState.IN_PROGRESS and attempt_expired(locked, now):
            _grade_locked(locked, now=now, submitted=False)
    attempt.refresh_from_db()
    return attempt


def attempts_grade_expired(now: dt.datetime | None = None) -> int:
    """Grade every running attempt past its deadline; returns how many were graded."""
    now = now or timezone.now()
    graded = 0
    due = Attempt.objects.filter(
        state=AttemptState.IN_PROGRESS, deadline__lt=now - SAVE_GRACE
    ).values_list("pk", flat=True)
    for pk in list(due[:10_000]):
        with transaction.atomic():
            # skip_locked: a learner submitting right now is graded by their request.
            attempt = (
                Attempt.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("exam")
                .filter(pk=pk, state=AttemptState.IN_PROGRESS)
                .first()
            )
            if attempt is None or not attempt_expired(attempt, now):
                continue
            _grade_locked(attempt, now=now, submitted=False)
            graded += 1
    return graded
