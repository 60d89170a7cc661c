"""Moodle's own GIFT and Aiken test files (../shared/testdata/moodle), read as Moodle reads them,
except that the types we don't support are named in the report instead of imported."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from mooc.exams.formats import ParsedOption, ParseResult
from mooc.exams.formats.aiken import parse_aiken
from mooc.exams.formats.decode import decode_question_file
from mooc.exams.formats.export import to_gift
from mooc.exams.formats.gift import parse_gift

MOODLE = Path(settings.BASE_DIR).parent / "shared" / "testdata" / "moodle"

pytestmark = [
    pytest.mark.skipif(
        not MOODLE.is_dir(), reason=f"Moodle's fixture files are not in this checkout ({MOODLE})"
    ),
    pytest.mark.usefixtures("english"),
]


def read(name: str) -> str:
    return decode_question_file((MOODLE / name).read_bytes())


@pytest.fixture
def gift() -> ParseResult:
    return parse_gift(read("questions.gift.txt"))


def test_gift_file_imports_the_supported_questions(gift: ParseResult) -> None:
    assert [(q.name, q.qtype, q.line) for q in gift.questions] == [
        ("Q2", "single", 14),
        ("colours", "multiple", 22),
        ("Q1", "truefalse", 41),
        ("2-08 TSL", "truefalse", 46),
        ("2-08 TSL", "truefalse", 49),
    ]


def test_gift_file_names_each_skipped_question_with_its_type_and_line(gift: ParseResult) -> None:
    assert [(i.name, i.line, i.kind, i.reason) for i in gift.issues] == [
        ("Q8", 2, "skipped", "Unsupported question type: essay."),
        ("Moodle activities", 5, "skipped", "Unsupported question type: matching."),
        ("Q5", 31, "skipped", "Unsupported question type: numerical."),
        ("Shortanswer", 34, "skipped", "Unsupported question type: short answer."),
    ]


def test_gift_single_answer_question_keeps_each_options_format_and_feedback(
    gift: ParseResult,
) -> None:
    q2 = gift.questions[0]

    assert q2.text == "What's between orange and green in the spectrum?"
    assert q2.options == (
        ParsedOption("yellow", Decimal(100), "right; good!"),
        ParsedOption("red", Decimal(0), "wrong, it's yellow"),
        ParsedOption("blue", Decimal(0), "wrong, it's yellow"),
    )


def test_gift_multiple_response_question_keeps_negative_weights(gift: ParseResult) -> None:
    colours = gift.questions[1]

    assert [(o.text, o.weight) for o in colours.options] == [
        ("yellow", Decimal(50)),
        ("red", Decimal(-100)),
        ("off-beige", Decimal(50)),
        ("blue", Decimal(-100)),
    ]


def test_gift_true_false_question_with_feedback_and_general_feedback(gift: ParseResult) -> None:
    q1 = gift.questions[2]

    assert q1.options == (
        ParsedOption("True", Decimal(0), "42 is the Ultimate Answer."),
        ParsedOption("False", Decimal(100), "You gave the right answer."),
    )
    assert q1.general_feedback == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )
    # The stray `";` after the closing brace stays behind a blank, as in Moodle.
    assert q1.text == '42 is the Absolute Answer to everything._____";'


def test_gift_true_false_written_t_and_true_are_the_same(gift: ParseResult) -> None:
    short, long = gift.questions[3], gift.questions[4]

    assert dataclasses.replace(short, line=0) == dataclasses.replace(long, line=0)
    assert [o.weight for o in short.options] == [100, 0]


def test_gift_imported_questions_export_and_read_back_unchanged(gift: ParseResult) -> None:
    again = parse_gift(to_gift(gift.questions))

    assert again.issues == []
    assert [dataclasses.replace(q, line=0) for q in again.questions] == [
        dataclasses.replace(q, line=0) for q in gift.questions
    ]


def test_aiken_file_imports_both_questions_keeping_html_looking_text_as_text() -> None:
    result = parse_aiken(read("questions.aiken.txt"))

    assert result.issues == []
    first, second = result.questions
    assert first.text == "The Moodle project was started by:"
    assert [o.text for o in first.options if o.weight == 100] == ["Martin Dougiamas"]
    assert second.text == (
        "Moodle's abilities include handling user input that includes "
        '&lt;html class="cool"&gt; &amp; images:'
    )
    assert [(o.text, o.weight) for o in second.options] == [
        ("True", Decimal(100)),
        ("False", Decimal(0)),
    ]


def test_aiken_errors_file_imports_the_two_good_questions_and_reports_three() -> None:
    result = parse_aiken(read("aiken_errors.txt"))

    assert [q.name for q in result.questions] == ["A good question", "A second good question"]
    second = result.questions[1]
    assert [(o.text, o.weight) for o in second.options] == [
        ("Incorrect (No space)", Decimal(0)),
        ("Correct (No space)", Decimal(100)),
    ]
    assert [(i.line, i.kind, i.name) for i in result.issues] == [
        (1, "failed", "A question with too few answers"),
        (5, "failed", "Question not started"),
        (14, "failed", "A question started but not finished"),
    ]
    assert "at least two options" in result.issues[0].reason
    assert "without a question text" in result.issues[1].reason
    assert "ANSWER line" in result.issues[2].reason
