"""The rules every question obeys, shared by the importer and the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mooc.core.errors import ServiceError
from mooc.exams.services.banks import question_options_validate

pytestmark = pytest.mark.usefixtures("english")


def _weights(*values: str | int) -> list[Decimal]:
    return [Decimal(value) for value in values]


@pytest.mark.parametrize(
    ("qtype", "weights"),
    [
        ("single", (100, 0)),
        ("single", (0, 100, -50, 0)),
        ("multiple", (50, 50, -100)),
        ("multiple", ("33.33333", "33.33333", "33.33333", -100)),
        ("multiple", (100, 0)),
        ("truefalse", (100, 0)),
        ("truefalse", (0, 100)),
    ],
)
def test_sound_questions_pass(qtype: str, weights: tuple[str | int, ...]) -> None:
    question_options_validate(qtype=qtype, weights=_weights(*weights))


@pytest.mark.parametrize(
    ("qtype", "weights", "message"),
    [
        ("single", (100,), "A multiple-choice question needs at least two options."),
        ("single", (0, 0), "exactly one correct option"),
        ("single", (100, 100), "exactly one correct option"),
        ("single", (50, 0), "exactly one correct option"),
        ("single", (100, 20), "exactly one correct option"),
        ("multiple", (100,), "A multiple-response question needs at least two options."),
        ("multiple", (50, 40, 0), "they add up to 90."),
        ("multiple", (60, 60), "they add up to 120."),
        ("multiple", (0, -50), "they add up to 0."),
        ("truefalse", (100, 0, 0), "exactly two options"),
        ("truefalse", (0, 0), "exactly two options"),
        ("single", (150, 0), "between -100 and 100"),
        ("essay", (100, 0), "Unknown question type."),
    ],
)
def test_unsound_questions_are_refused_with_a_clear_message(
    qtype: str, weights: tuple[str | int, ...], message: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        question_options_validate(qtype=qtype, weights=_weights(*weights))

    assert message in str(caught.value.message)
    assert caught.value.field == "options"
