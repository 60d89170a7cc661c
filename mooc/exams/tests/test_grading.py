"""Scoring: points per question, the percentage, and passing without rounding up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mooc.exams.grading import (
    GradedQuestion,
    attempt_score,
    is_passed,
    question_points,
    score_percent,
)

D = Decimal


def weights(*values: str | int) -> list[Decimal]:
    return [D(v) for v in values]


def test_a_single_answer_question_earns_a_point_only_for_the_full_weight_option() -> None:
    w = weights(0, 100, -50, 0)
    assert question_points(qtype="single", weights=w, chosen=[1]) == 1
    assert question_points(qtype="single", weights=w, chosen=[0]) == 0
    assert question_points(qtype="single", weights=w, chosen=[2]) == 0


def test_true_false_is_graded_like_a_single_answer() -> None:
    assert question_points(qtype="truefalse", weights=weights(0, 100), chosen=[1]) == 1
    assert question_points(qtype="truefalse", weights=weights(0, 100), chosen=[0]) == 0


def test_ticking_several_options_of_a_single_answer_question_earns_nothing() -> None:
    assert question_points(qtype="single", weights=weights(100, 0), chosen=[0, 1]) == 0


def test_an_empty_answer_earns_nothing() -> None:
    assert question_points(qtype="single", weights=weights(100, 0), chosen=[]) == 0
    assert question_points(qtype="multiple", weights=weights(50, 50), chosen=[]) == 0


def test_positions_outside_the_question_count_for_nothing() -> None:
    assert question_points(qtype="single", weights=weights(100, 0), chosen=[7]) == 0


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        ([0], "0.5"),
        ([0, 1], "1"),
        ([0, 2], "0"),  # 50 - 100 floored at 0, never negative
        ([0, 1, 2], "0"),
        ([2], "0"),
    ],
)
def test_multiple_response_adds_the_weights_and_floors_at_zero(
    chosen: list[int], points: str
) -> None:
    assert question_points(qtype="multiple", weights=weights(50, 50, -100), chosen=chosen) == D(
        points
    )


def test_multiple_response_negative_weights_take_points_away() -> None:
    w = weights(50, 50, -25)
    assert question_points(qtype="multiple", weights=w, chosen=[0, 1, 2]) == D("0.75")


def test_thirds_that_add_up_to_a_hair_under_100_give_the_full_point() -> None:
    w = weights("33.33333", "33.33333", "33.33333", -100)
    assert question_points(qtype="multiple", weights=w, chosen=[0, 1, 2]) == 1
    assert question_points(qtype="multiple", weights=w, chosen=[0, 1]) == D("0.6666666")


def test_multiple_response_is_capped_at_one_point() -> None:
    assert question_points(qtype="multiple", weights=weights(100, 100), chosen=[0]) == 1


@pytest.mark.parametrize(
    ("points", "max_points", "score"),
    [
        ("6999.5", "10000", "69.99"),  # 69.995 is cut, not rounded up
        ("2", "3", "66.66"),
        ("7", "10", "70.00"),
        ("0", "20", "0.00"),
        ("20", "20", "100.00"),
    ],
)
def test_the_score_is_cut_to_two_decimals_never_rounded_up(
    points: str, max_points: str, score: str
) -> None:
    result = score_percent(points=D(points), max_points=D(max_points))
    assert result == D(score)
    assert str(result) == score


@pytest.mark.parametrize(
    ("score", "grade", "passed"),
    [("69.99", "70", False), ("70", "70", True), ("70.00", "70", True), ("70.00", "70.01", False)],
)
def test_passing_needs_the_score_to_reach_the_grade(score: str, grade: str, passed: bool) -> None:
    assert is_passed(score=D(score), passing_grade=D(grade)) is passed


def test_an_attempt_scores_its_points_over_its_questions() -> None:
    right = GradedQuestion(qtype="single", weights=weights(100, 0), chosen=[0])
    wrong = GradedQuestion(qtype="single", weights=weights(100, 0), chosen=[1])
    empty = GradedQuestion(qtype="single", weights=weights(100, 0), chosen=[])
    assert attempt_score([right, right, wrong]) == D("66.66")
    assert attempt_score([right, empty]) == D("50.00")
    assert attempt_score([]) == D("0.00")
