"""Properties over generated input: the parsers never crash, and export → import is lossless."""

from __future__ import annotations

import dataclasses
import itertools
from decimal import Decimal

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from mooc.exams.formats import ParsedOption, ParsedQuestion, ParseResult, QuestionType
from mooc.exams.formats.aiken import parse_aiken
from mooc.exams.formats.decode import QuestionFileError, decode_question_file
from mooc.exams.formats.export import to_gift
from mooc.exams.formats.gift import parse_gift

GIFT_PIECES = [
    "{", "}", "=", "~", "#", "####", "%", "%50%", "%-25%", "%100%", "%x%", "::", ":",
    "\\", "\\n", "\\{", "\n", "\n\n", "//", "->", "T", "TRUE", "F", "[html]", "[markdown]",
    "[plain]", "$CATEGORY: ", "_", "*", "<b>", "Soal", "a", "b ", " ", "1", "é", "\r\n",
]  # fmt: skip
AIKEN_PIECES = [
    "A) ", "B. ", "C)", "D) ", "ANSWER: ", "A", "B", "Z", "\n", "\n\n", "Soal", " ", "<b>",
    "&", "x", "\r", "ANSWER:", "1",
]  # fmt: skip

gift_like = st.lists(st.sampled_from(GIFT_PIECES), max_size=40).map("".join)
aiken_like = st.lists(st.sampled_from(AIKEN_PIECES), max_size=40).map("".join)


def assert_well_formed(result: ParseResult, text: str) -> None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for question in result.questions:
        assert 1 <= question.line <= lines
        assert question.text
        assert len(question.options) >= 2
        assert all(option.text for option in question.options)
        assert all(-100 <= option.weight <= 100 for option in question.options)
    for issue in result.issues:
        assert 1 <= issue.line <= lines
        assert issue.kind in ("skipped", "failed")
        assert issue.reason


def gift_blocks_with_content(text: str) -> int:
    """Blank-line separated blocks holding more than comments and category lines."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    count, block = 0, []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            if not line.strip().startswith("//"):
                block.append(line.strip())
            continue
        while block and block[0].startswith("$CATEGORY:"):
            block.pop(0)
        count += bool(block)
        block = []
    return count


@settings(deadline=None, max_examples=150, derandomize=True)
@given(st.one_of(st.text(), gift_like))
def test_every_gift_block_is_imported_or_reported_and_nothing_crashes(text: str) -> None:
    with translation.override("en"):
        result = parse_gift(text)

    assert_well_formed(result, text)
    assert len(result.questions) + len(result.issues) == gift_blocks_with_content(text)


@settings(deadline=None, max_examples=150, derandomize=True)
@given(st.one_of(st.text(), aiken_like))
def test_aiken_text_is_imported_or_reported_and_nothing_crashes(text: str) -> None:
    with translation.override("en"):
        result = parse_aiken(text)

    assert_well_formed(result, text)
    assert bool(text.strip()) == bool(result.questions or result.issues)


@settings(deadline=None, max_examples=100, derandomize=True)
@given(st.binary())
def test_any_bytes_decode_or_are_refused_with_a_message(data: bytes) -> None:
    with translation.override("en"):
        try:
            text = decode_question_file(data)
        except QuestionFileError as error:
            assert "UTF-8" in str(error)
        else:
            assert "\r" not in text


# --- Round trip ---------------------------------------------------------------------------

SPECIAL = st.sampled_from([*"=~#{}:\\%[]<>&/-_", "\n", "->", "####", "//", "[html]", " "])
ANY_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\r")


def gift_text(*, lines: bool = True, min_size: int = 1) -> st.SearchStrategy[str]:
    """Text as parsing leaves it: stripped; with GIFT's special characters mixed in."""
    pieces = SPECIAL if lines else SPECIAL.filter(lambda piece: "\n" not in piece)
    chars = ANY_CHAR if lines else ANY_CHAR.filter(lambda char: char != "\n")
    text = st.lists(st.one_of(pieces, chars), max_size=12).map("".join).map(str.strip)
    return text.filter(lambda value: len(value) >= min_size)


texts = gift_text()
feedbacks = gift_text(min_size=0)
wrong_weights = st.sampled_from(
    [Decimal(0), Decimal(0), Decimal(-25), Decimal("-33.33333"), Decimal(-100)]
)


@st.composite
def right_weights(draw: st.DrawFn) -> list[Decimal]:
    """Two to four positive weights adding up to exactly 100 (in hundredths)."""
    cuts = sorted(draw(st.sets(st.integers(1, 9_999), min_size=1, max_size=3)))
    bounds = [0, *cuts, 10_000]
    return [Decimal(high - low) / 100 for low, high in itertools.pairwise(bounds)]


@st.composite
def questions(draw: st.DrawFn) -> ParsedQuestion:
    qtype: QuestionType = draw(st.sampled_from(["single", "multiple", "truefalse"]))
    options: tuple[ParsedOption, ...]
    if qtype == "truefalse":
        true_is_right = draw(st.booleans())
        options = (
            ParsedOption("True", Decimal(100 if true_is_right else 0), draw(feedbacks)),
            ParsedOption("False", Decimal(0 if true_is_right else 100), draw(feedbacks)),
        )
    else:
        rights = [Decimal(100)] if qtype == "single" else draw(right_weights())
        wrongs = draw(st.lists(wrong_weights, min_size=1 if qtype == "single" else 0, max_size=3))
        weights = draw(st.permutations(rights + wrongs))
        options = tuple(ParsedOption(draw(texts), weight, draw(feedbacks)) for weight in weights)
    return ParsedQuestion(
        line=0,
        qtype=qtype,
        text=draw(texts),
        options=options,
        title=draw(gift_text(min_size=0)),
        category=draw(gift_text(lines=False, min_size=0)),
        general_feedback=draw(feedbacks),
    )


@settings(deadline=None, max_examples=120, derandomize=True)
@given(st.lists(questions(), max_size=4))
def test_exported_questions_read_back_unchanged(bank: list[ParsedQuestion]) -> None:
    with translation.override("en"):
        result = parse_gift(to_gift(bank))

    assert result.issues == []
    assert [dataclasses.replace(q, line=0) for q in result.questions] == bank
