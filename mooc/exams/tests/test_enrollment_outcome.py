"""The enrolment's outcome of a final exam: one pure rule for grading and for a reset."""

from __future__ import annotations

from decimal import Decimal

from mooc.exams.grading import enrollment_outcome


def test_a_passing_attempt_completes_the_enrolment_as_passed() -> None:
    outcome = enrollment_outcome(
        passed=True, best_score=Decimal(80), attempts_used=3, max_attempts=3
    )
    assert outcome == ("completed", "passed")


def test_using_every_allowed_attempt_without_passing_fails() -> None:
    outcome = enrollment_outcome(
        passed=False, best_score=Decimal(40), attempts_used=2, max_attempts=2
    )
    assert outcome == ("completed", "failed")


def test_attempts_left_or_unlimited_keep_the_enrolment_active() -> None:
    assert enrollment_outcome(
        passed=False, best_score=Decimal(40), attempts_used=1, max_attempts=2
    ) == ("active", "")
    assert enrollment_outcome(
        passed=False, best_score=Decimal(40), attempts_used=9, max_attempts=None
    ) == ("active", "")


def test_no_graded_attempt_decides_nothing_even_with_every_attempt_in_progress() -> None:
    outcome = enrollment_outcome(passed=False, best_score=None, attempts_used=1, max_attempts=1)
    assert outcome == ("active", "")
