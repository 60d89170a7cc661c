"""What staff do to attempts, each with a reason and audited: extra time for one
attempt or a whole exam, and resetting an attempt (which recomputes the enrolment).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mooc.accounts.models import User
from mooc.catalog.models import Enrollment, EnrollmentResult
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record, audit_reason_clean
from mooc.exams.grading import enrollment_outcome
from mooc.exams.models import (
    Attempt,
    AttemptState,
    Exam,
)
from mooc.exams.services.submission import on_final_exam_passed
from mooc.exams.signals import final_exam_pass_withdrawn

# Extensions are for outages and individual arrangements, not for unlimited exams.
MAX_EXTENSION_MINUTES = 24 * 60


def _refuse(message: str, code: str) -> ServiceError:
    return ServiceError(message, code=code)


def _check_extension(minutes: int, reason: str) -> str:
    if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise ServiceError(
            _("Extra time must be between 1 and %(max)d minutes.") % {"max": MAX_EXTENSION_MINUTES},
            field="minutes",
            code="invalid_minutes",
        )
    return audit_reason_clean(reason)


def attempt_extend(*, attempt: Attempt, minutes: int, actor: User, reason: str) -> Attempt:
    """Give one learner's running attempt `minutes` more."""
    reason = _check_extension(minutes, reason)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state != AttemptState.IN_PROGRESS:
            raise _refuse(_("This exam has already been submitted."), "submitted")
        before = {"deadline": locked.deadline.isoformat(), "extra_minutes": locked.extra_minutes}
        locked.deadline += dt.timedelta(minutes=minutes)
        locked.extra_minutes += minutes
        locked.save(update_fields=["deadline", "extra_minutes"])
        audit_log_record(
            actor=actor,
            action="exams.attempt_extend",
            target=locked,
            reason=reason,
            before=before,
            after={"deadline": locked.deadline.isoformat(), "extra_minutes": locked.extra_minutes},
        )
    return locked


def exam_extend_running(*, exam: Exam, minutes: int, actor: User, reason: str) -> int:
    """Give every running attempt of `exam` `minutes` more (after an outage).

    Attempts already past their deadline but not yet graded are extended too: during
    an outage nobody could submit, so they deserve the time as much as the others.
    Returns the number of attempts extended.
    """
    reason = _check_extension(minutes, reason)
    delta = dt.timedelta(minutes=minutes)
    with transaction.atomic():
        running = list(
            Attempt.objects.select_for_update()
            .filter(exam=exam, state=AttemptState.IN_PROGRESS)
            .order_by("pk")
        )
        for attempt in running:
            attempt.deadline += delta
            attempt.extra_minutes += minutes
        Attempt.objects.bulk_update(running, ["deadline", "extra_minutes"], batch_size=1000)
        audit_log_record(
            actor=actor,
            action="exams.exam_extend_running",
            target=exam,
            reason=reason,
            after={"minutes": minutes, "attempts": [a.pk for a in running]},
        )
    return len(running)


def enrollment_recompute(*, enrollment: Enrollment) -> Enrollment:
    """Recompute an enrolment's result from the graded attempts at its course's final exam.

    - No final exam, or no graded attempt left: active, no result, no score.
    - Best score wins; passed as soon as any remaining attempt passed (completed when
      the first passing attempt was graded).
    - Not passed and every allowed attempt used (`max_attempts`, attempts in progress
      included): completed, failed.
    - Otherwise active, no result, with the best score so far.

    The caller holds a transaction (the enrolment row is locked here). Used after an
    admin reset; grading keeps using the incremental `submission._enrollment_record`.
    Both decide with `grading.enrollment_outcome`.
    """
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        exam = Exam.objects.filter(course_id=locked.course_id, is_final=True).first()
        attempts = (
            list(Attempt.objects.filter(exam=exam, user_id=locked.user_id).order_by("number"))
            if exam is not None
            else []
        )
        graded = [a for a in attempts if a.state == AttemptState.GRADED and a.score is not None]
        was_passed = locked.result == EnrollmentResult.PASSED
        score = max((a.score for a in graded if a.score is not None), default=None)
        passing = [a for a in graded if a.passed]
        status, result = enrollment_outcome(
            passed=bool(passing),
            best_score=score,
            attempts_used=len(attempts),
            max_attempts=exam.max_attempts if exam is not None else None,
        )
        completed_at: dt.datetime | None = None
        if result == EnrollmentResult.PASSED:
            completed_at = min(a.graded_at or a.started_at for a in passing)
        elif result == EnrollmentResult.FAILED:
            completed_at = max(a.graded_at or a.started_at for a in graded)
        fields = ["status", "result", "final_score", "completed_at"]
        before = {name: getattr(locked, name) for name in fields}
        locked.status, locked.result = status, result
        locked.final_score, locked.completed_at = score, completed_at
        if {name: getattr(locked, name) for name in fields} != before:
            locked.save(update_fields=[*fields, "updated_at"])
        if result == EnrollmentResult.PASSED and not was_passed:
            on_final_exam_passed(locked)
    enrollment.refresh_from_db()
    return enrollment


def attempt_reset(*, attempt: Attempt, actor: User, reason: str, request: Any = None) -> None:
    """Delete one attempt (an admin's decision, with a reason) and recompute the enrolment.

    The attempt is deleted with its questions, options and answers, as if it had never
    been taken: the learner gets that attempt back (attempts used = attempts left in
    the table). The numbers of the other attempts are kept, so numbering may show a
    gap, and the next attempt is numbered after the highest remaining one. An attempt
    in progress can be reset too (it disappears from the learner's screen). What the
    attempt was (learner, exam, number, state, score, passed, times) goes to the audit
    log with the reason. For a final exam the enrolment is recomputed from the
    remaining graded attempts (`enrollment_recompute`), which may take a "passed"
    away when the only passing attempt is reset.
    """
    reason = audit_reason_clean(reason)
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam", "user")
            .filter(pk=attempt.pk)
            .first()
        )
        if locked is None:
            raise _refuse(_("This exam attempt was not found."), "not_found")
        exam = locked.exam
        before = {
            "attempt": locked.pk,
            "user": locked.user_id,
            "username": locked.user.username,
            "exam": exam.pk,
            "exam_title": exam.title,
            "course": exam.course_id,
            "number": locked.number,
            "state": locked.state,
            "score": str(locked.score) if locked.score is not None else None,
            "passed": locked.passed,
            "started_at": locked.started_at.isoformat(),
            "submitted_at": locked.submitted_at.isoformat() if locked.submitted_at else None,
            "extra_minutes": locked.extra_minutes,
        }
        enrollment = (
            Enrollment.objects.filter(user_id=locked.user_id, course_id=exam.course_id).first()
            if exam.is_final
            else None
        )
        if enrollment is not None:
            before["enrollment"] = {
                "status": enrollment.status,
                "result": enrollment.result,
                "final_score": (
                    str(enrollment.final_score) if enrollment.final_score is not None else None
                ),
            }
        pk = locked.pk
        locked.delete()
        after: dict[str, Any] = {"deleted": True}
        if enrollment is not None:
            was_passed = enrollment.result == EnrollmentResult.PASSED
            enrollment_recompute(enrollment=enrollment)
            if was_passed and enrollment.result != EnrollmentResult.PASSED:
                # The certificates app refuses when a valid certificate rests on the pass.
                final_exam_pass_withdrawn.send(sender=Enrollment, enrollment=enrollment)
            after["enrollment"] = {
                "status": enrollment.status,
                "result": enrollment.result,
                "final_score": (
                    str(enrollment.final_score) if enrollment.final_score is not None else None
                ),
            }
        # The row is gone: the entry names it by its former id and label.
        locked.pk = pk
        audit_log_record(
            actor=actor,
            action="exams.attempt_reset",
            target=locked,
            reason=reason,
            before=before,
            after=after,
            request=request,
        )
