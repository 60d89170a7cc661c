"""Aiken questions: what is imported and what is reported, line by line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mooc.exams.formats import ParsedOption, ParsedQuestion, ParseIssue
from mooc.exams.formats.aiken import parse_aiken

pytestmark = pytest.mark.usefixtures("english")


def only_question(text: str) -> ParsedQuestion:
    result = parse_aiken(text)
    assert result.issues == []
    assert len(result.questions) == 1
    return result.questions[0]


def only_issue(text: str) -> ParseIssue:
    result = parse_aiken(text)
    assert result.questions == []
    assert len(result.issues) == 1
    return result.issues[0]


def test_question_with_options_and_answer_is_a_single_answer_question() -> None:
    question = only_question(
        "Siapa presiden pertama Indonesia?\nA) Soekarno\nB) Hatta\nC) Soeharto\nANSWER: A\n"
    )

    assert question.qtype == "single"
    assert question.line == 1
    assert question.text == "Siapa presiden pertama Indonesia?"
    assert question.options == (
        ParsedOption("Soekarno", Decimal(100)),
        ParsedOption("Hatta", Decimal(0)),
        ParsedOption("Soeharto", Decimal(0)),
    )
    assert question.name == "Siapa presiden pertama Indonesia?"


@pytest.mark.parametrize("options", ["A. Ya\nB. Tidak", "A)Ya\nB)Tidak", "A.Ya\nB)  Tidak"])
def test_options_may_use_a_dot_or_parenthesis_with_or_without_a_space(options: str) -> None:
    question = only_question(f"Soal?\n{options}\nANSWER: B")

    assert question.options == (ParsedOption("Ya", Decimal(0)), ParsedOption("Tidak", Decimal(100)))


def test_question_text_may_run_over_several_lines() -> None:
    question = only_question(
        "Pancasila ditetapkan sebagai dasar negara\npada 18 Agustus 1945 oleh:\n"
        "A) BPUPKI\nB) PPKI\nANSWER: B"
    )

    assert (
        question.text == "Pancasila ditetapkan sebagai dasar negara<br>pada 18 Agustus 1945 oleh:"
    )


def test_text_that_looks_like_html_is_shown_as_typed() -> None:
    question = only_question(
        'Tag <script src="x"> & <b> berarti:\nA) Kode <js>\nB) Teks & gambar\nANSWER: A'
    )

    assert question.text == 'Tag &lt;script src="x"&gt; &amp; &lt;b&gt; berarti:'
    assert [option.text for option in question.options] == [
        "Kode &lt;js&gt;",
        "Teks &amp; gambar",
    ]


@pytest.mark.parametrize("answer", ["ANSWER: b", "ANSWER:B", "ANSWER : B.", "ANSWER: B)"])
def test_answer_line_is_read_leniently(answer: str) -> None:
    question = only_question(f"Soal?\nA) x\nB) y\n{answer}")

    assert [option.weight for option in question.options] == [0, 100]


def test_questions_may_follow_each_other_without_blank_lines() -> None:
    result = parse_aiken(
        "\n\nSoal satu?\nA) a\nB) b\nANSWER: A\nSoal dua?\n\nA) a\n\nB) b\nANSWER: B\n"
    )

    assert result.issues == []
    assert [(q.text, q.line) for q in result.questions] == [("Soal satu?", 3), ("Soal dua?", 7)]


def test_windows_line_ends_are_read_like_unix_ones() -> None:
    result = parse_aiken(
        "\ufeffSoal satu?\r\nA) a\r\nB) b\r\nANSWER: A\r\n\r\nSoal dua?\rA) a\rB) b\rANSWER: B"
    )

    assert [(q.text, q.line) for q in result.questions] == [("Soal satu?", 1), ("Soal dua?", 6)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Soal?\nA) satu\nANSWER: A", "at least two options (A, B, …); found 1"),
        ("Soal?\nANSWER: A", "at least two options (A, B, …); found 0"),
        ("Soal tanpa apa pun", "at least two options (A, B, …); found 0"),
        ("Soal?\nA) satu\nB) dua", "The ANSWER line (for example “ANSWER: B”) is missing"),
        ("Soal?\nA) satu\nB) dua\nANSWER: C", "ANSWER: C has no matching option"),
        ("Soal?\nA) satu\nB) dua\nANSWER: satu", "must give one letter, not “satu”"),
        ("Soal?\nA) satu\nB) dua\nANSWER:", "must give one letter, not “”"),
        ("Soal?\nA) satu\nB) dua\nD) empat\nANSWER: A", "expected C but found D"),
        ("Soal?\nB) dua\nC) tiga\nANSWER: B", "expected A but found B"),
        ("Soal?\nA) satu\nB)\nANSWER: A", "Option B has no text"),
        ("A) satu\nB) dua\nANSWER: A", "without a question text before them"),
        ("ANSWER: A", "without a question text before them"),
    ],
)
def test_malformed_questions_are_reported(text: str, reason: str) -> None:
    issue = only_issue(f"\n{text}")

    assert issue.kind == "failed"
    assert issue.line == 2
    assert reason in issue.reason


def test_a_question_cut_short_by_the_next_one_is_reported_and_the_next_imported() -> None:
    result = parse_aiken(
        "Soal terputus\nA) satu\nB) dua\nSoal berikutnya\nA) satu\nB) dua\nANSWER: A"
    )

    assert [q.text for q in result.questions] == ["Soal berikutnya"]
    assert [(i.name, i.line) for i in result.issues] == [("Soal terputus", 1)]
    assert "ANSWER line" in result.issues[0].reason


def test_a_question_separated_from_its_options_by_a_blank_line_is_reported() -> None:
    # A blank line ends the question text: a forgotten set of options shows up
    # as its own report line instead of being glued to the next question.
    result = parse_aiken("Soal tanpa pilihan\n\nSoal dua\nA) a\nB) b\nANSWER: A")

    assert [q.text for q in result.questions] == ["Soal dua"]
    assert [(i.name, i.line) for i in result.issues] == [("Soal tanpa pilihan", 1)]


def test_report_names_stay_short_even_without_spaces() -> None:
    issue = only_issue(f"{'x' * 5000}\nA) a\nB) b\nANSWER: {'y' * 5000}")

    assert len(issue.name) == 80
    assert len(issue.reason) < 100


def test_an_empty_file_has_nothing_to_report() -> None:
    result = parse_aiken("\n \n")

    assert result.questions == []
    assert result.issues == []
