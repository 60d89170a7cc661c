"""Scoring an attempt: pure functions over Decimals, no database.

Points per question (each question is worth 1 point):
- one answer (multiple choice, true/false): 1 when the chosen option weighs 100, else 0;
- multiple response: the chosen options' weights added up, / 100, floored at 0 and
  capped at 1. Weights such as 33.33333 × 3 add up to a hair under 100, so choosing
  exactly the options that carry weight, and none that take it away, counts as 1.

score = 100 × points / max points, cut (never rounded up) to two decimals: 69.995
becomes 69.99, which fails a passing grade of 70.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from mooc.catalog.models import EnrollmentResult, EnrollmentStatus

ONE_ANSWER_TYPES = frozenset({"single", "truefalse"})
FULL_WEIGHT = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class GradedQuestion:
    qtype: str
    # The weight of each option, indexed by its display position.
    weights: Sequence[Decimal]
    chosen: Collection[int]
    max_points: Decimal = Decimal(1)


def question_points(*, qtype: str, weights: Sequence[Decimal], chosen: Collection[int]) -> Decimal:
    """Points (0..1) earned on one question; positions outside `weights` count for nothing."""
    picked = sorted({p for p in chosen if 0 <= p < len(weights)})
    if not picked:
        return Decimal(0)
    if qtype in ONE_ANSWER_TYPES:
        # More than one choice on a one-answer question cannot come from the player;
        # it earns nothing rather than letting a learner tick everything.
        return Decimal(1) if len(picked) == 1 and weights[picked[0]] == FULL_WEIGHT else Decimal(0)
    rewarding = {p for p, w in enumerate(weights) if w > 0}
    penalised = {p for p, w in enumerate(weights) if w < 0}
    if set(picked) == rewarding and not penalised & set(picked):
        return Decimal(1)
    total = sum((weights[p] for p in picked), Decimal(0)) / FULL_WEIGHT
    return min(max(total, Decimal(0)), Decimal(1))


def score_percent(*, points: Decimal, max_points: Decimal) -> Decimal:
    """100 × points / max points, cut to two decimals (ROUND_DOWN, never up)."""
    if max_points <= 0:
        return Decimal("0.00")
    return (Decimal(100) * points / max_points).quantize(CENT, rounding=ROUND_DOWN)


def is_passed(*, score: Decimal, passing_grade: Decimal) -> bool:
    return score >= passing_grade


def attempt_score(questions: Sequence[GradedQuestion]) -> Decimal:
    points = sum(
        (
            question_points(qtype=q.qtype, weights=q.weights, chosen=q.chosen) * q.max_points
            for q in questions
        ),
        Decimal(0),
    )
    max_points = sum((q.max_points for q in questions), Decimal(0))
    return score_percent(points=points, max_points=max_points)


class EnrollmentOutcome(NamedTuple):
    status: str
    result: str  # "" while there is none yet


def enrollment_outcome(
    *, passed: bool, best_score: Decimal | None, attempts_used: int, max_attempts: int | None
) -> EnrollmentOutcome:
    """What a course's final exam makes of the enrolment, from the learner's attempts at it.

    - Passed (completed) as soon as a graded attempt passed.
    - Failed (completed) when none passed, one at least is graded (`best_score`), and
      every allowed attempt is used (`attempts_used`, attempts in progress included).
    - Otherwise still active, with no result.

    Grading (`services.submission`) and recomputing after a reset (`services.staff`)
    both decide with it; when the enrolment completes is theirs to say.
    """
    if passed:
        return EnrollmentOutcome(EnrollmentStatus.COMPLETED, EnrollmentResult.PASSED)
    if best_score is not None and max_attempts is not None and attempts_used >= max_attempts:
        return EnrollmentOutcome(EnrollmentStatus.COMPLETED, EnrollmentResult.FAILED)
    return EnrollmentOutcome(EnrollmentStatus.ACTIVE, "")


# --- Learning gain: the pre-test against the final exam ---------------------------------------


def learning_gain(*, pre: Decimal | None, post: Decimal | None) -> Decimal | None:
    """post − pre, in points; None without both scores."""
    if pre is None or post is None:
        return None
    return post - pre


def normalized_gain(*, pre: Decimal | None, post: Decimal | None) -> Decimal | None:
    """(post − pre) / (100 − pre), Hake's gain: the share of what there was left to learn
    that was learned. None without both scores, and for a pre-test of 100 (nothing was
    left to learn, the ratio is undefined)."""
    if pre is None or post is None or pre >= FULL_WEIGHT:
        return None
    return ((post - pre) / (FULL_WEIGHT - pre)).quantize(Decimal("0.001"))
