"""Writing parsed questions as GIFT that reads back as the same questions."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from mooc.exams.formats import ParsedOption, ParsedQuestion
from mooc.exams.formats.export import to_gift
from mooc.exams.formats.gift import parse_gift

pytestmark = pytest.mark.usefixtures("english")


def read_back(questions: list[ParsedQuestion]) -> list[ParsedQuestion]:
    result = parse_gift(to_gift(questions))
    assert result.issues == []
    return [dataclasses.replace(question, line=0) for question in result.questions]


SINGLE = ParsedQuestion(
    line=0,
    qtype="single",
    text="Nilai <b>BerAKHLAK</b>: a=b, ~c, #d, {e}, f:g\nbaris dua",
    options=(
        ParsedOption("Akuntabel", Decimal(100), "Tepat: <i>akuntabel</i>."),
        ParsedOption("Birokratis", Decimal(0)),
        ParsedOption("Lamban", Decimal("-33.33333"), "Kurang #1"),
    ),
    title="BER::01",
    category="Orientasi/Nilai Dasar",
    general_feedback="Lihat modul 2.",
)
MULTIPLE = ParsedQuestion(
    line=0,
    qtype="multiple",
    text="Pilih dua:",
    options=(
        ParsedOption("a", Decimal("12.5")),
        ParsedOption("b", Decimal("87.50")),
        ParsedOption("c", Decimal(-100), "salah"),
        ParsedOption("d", Decimal(0)),
    ),
    category="Orientasi/Nilai Dasar",
)
TRUE_FALSE = ParsedQuestion(
    line=0,
    qtype="truefalse",
    text="ASN harus netral.",
    options=(
        ParsedOption("True", Decimal(0), "Keliru."),
        ParsedOption("False", Decimal(100), "Betul."),
    ),
    title="NET-1",
    category="Orientasi/Etika",
    general_feedback="UU 20/2023.",
)


def test_questions_are_written_as_html_with_special_characters_escaped() -> None:
    assert to_gift([SINGLE, MULTIPLE, TRUE_FALSE]) == (
        "$CATEGORY: Orientasi/Nilai Dasar\n"
        "\n"
        "::BER\\:\\:01::[html]Nilai <b>BerAKHLAK</b>\\: "
        "a\\=b, \\~c, \\#d, \\{e\\}, f\\:g\\nbaris dua{\n"
        "\t=Akuntabel#Tepat\\: <i>akuntabel</i>.\n"
        "\t~Birokratis\n"
        "\t~%-33.33333%Lamban#Kurang \\#1\n"
        "\t####Lihat modul 2.\n"
        "}\n"
        "\n"
        "[html]Pilih dua\\:{\n"
        "\t~%12.5%a\n"
        "\t~%87.5%b\n"
        "\t~%-100%c#salah\n"
        "\t~d\n"
        "}\n"
        "\n"
        "$CATEGORY: Orientasi/Etika\n"
        "\n"
        "::NET-1::[html]ASN harus netral.{F#Keliru.#Betul.####UU 20/2023.}\n"
        "\n"
    )


def test_exported_questions_read_back_unchanged() -> None:
    questions = [SINGLE, MULTIPLE, TRUE_FALSE]

    assert read_back(questions) == questions


@pytest.mark.parametrize(
    ("true_feedback", "false_feedback", "written"),
    [
        ("", "", "{T}"),
        ("Betul.", "", "{T##Betul.}"),
        ("", "Keliru.", "{T#Keliru.}"),
        ("Betul.", "Keliru.", "{T#Keliru.#Betul.}"),
    ],
)
def test_true_false_feedback_is_written_only_when_there_is_some(
    true_feedback: str, false_feedback: str, written: str
) -> None:
    question = dataclasses.replace(
        TRUE_FALSE,
        options=(
            ParsedOption("True", Decimal(100), true_feedback),
            ParsedOption("False", Decimal(0), false_feedback),
        ),
        general_feedback="",
    )

    assert written in to_gift([question])
    assert read_back([question]) == [question]


def test_true_false_options_stored_false_first_are_recognised_by_their_labels() -> None:
    question = dataclasses.replace(
        TRUE_FALSE,
        options=(
            ParsedOption("Salah", Decimal(0), "Keliru."),
            ParsedOption("Benar", Decimal(100), "Betul."),
        ),
        general_feedback="",
    )

    assert "{T#Keliru.#Betul.}" in to_gift([question])


def test_texts_that_would_read_as_a_weight_or_a_format_are_protected() -> None:
    question = ParsedQuestion(
        line=0,
        qtype="single",
        text="[plain] bukan format",
        options=(
            ParsedOption("%50% bukan bobot", Decimal(100), "[markdown] bukan format"),
            ParsedOption("%", Decimal(0)),
            ParsedOption("[html]x", Decimal(-50)),
        ),
        general_feedback="[plain]umum",
    )

    written = to_gift([question])

    assert "\t=%100%%50% bukan bobot#[html][markdown] bukan format\n" in written
    assert "\t~%0%%\n" in written
    assert "\t~%-50%[html][html]x\n" in written
    assert read_back([question]) == [question]


def test_leaving_a_category_writes_an_empty_category_line() -> None:
    uncategorised = dataclasses.replace(MULTIPLE, category="")

    written = to_gift([SINGLE, uncategorised])

    assert "\n$CATEGORY:\n" in written
    assert read_back([SINGLE, uncategorised]) == [SINGLE, uncategorised]


def test_no_questions_give_an_empty_file() -> None:
    assert to_gift([]) == ""
