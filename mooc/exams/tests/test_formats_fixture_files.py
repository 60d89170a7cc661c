"""Our own mixed question files (tests/fixtures/formats_bank.*): the whole report, line by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mooc.exams.formats.aiken import parse_aiken
from mooc.exams.formats.decode import decode_question_file
from mooc.exams.formats.gift import parse_gift

pytestmark = pytest.mark.usefixtures("english")

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> str:
    return decode_question_file((FIXTURES / name).read_bytes())


def test_gift_bank_imports_good_questions_in_their_categories() -> None:
    result = parse_gift(read("formats_bank.gift.txt"))

    assert [(q.title, q.line, q.qtype, q.category) for q in result.questions] == [
        ("BER-01", 6, "single", "Orientasi ASN/Nilai Dasar"),
        ("BER-02", 14, "truefalse", "Orientasi ASN/Nilai Dasar"),
        ("BER-03", 16, "multiple", "Orientasi ASN/Nilai Dasar"),
        ("PEL-01", 25, "truefalse", "Orientasi ASN/Pelayanan Publik"),
    ]
    ber01, _ber02, ber03, pel01 = result.questions
    assert ber01.general_feedback == "BerAKHLAK menjadi nilai dasar ASN sejak 2021."
    assert ber01.options[0].feedback == "Tepat."
    assert ber03.text == (
        "<p>Pilih <strong>dua</strong> perilaku yang mencerminkan nilai <em>Kolaboratif</em>:</p>"
    )
    assert pel01.text == "Standar pelayanan <b>wajib</b> dipublikasikan oleh penyelenggara."


def test_gift_bank_reports_each_question_left_out_with_its_line_and_reason() -> None:
    result = parse_gift(read("formats_bank.gift.txt"))

    assert [(i.name, i.line, i.kind, i.reason) for i in result.issues] == [
        ("PEL-02", 28, "skipped", "Unsupported question type: essay."),
        ("PEL-03", 30, "skipped", "Unsupported question type: matching."),
        ("PEL-04", 35, "skipped", "Unsupported question type: numerical."),
        ("PEL-05", 37, "skipped", "Unsupported question type: short answer."),
        (
            "PEL-06",
            39,
            "skipped",
            "Unsupported question type: fill-in-the-middle (missing word).",
        ),
        (
            "PEL-07",
            42,
            "failed",
            "Unclosed brace: the “{” of the answers has no closing “}”.",
        ),
        ("PEL-08", 46, "failed", "The weights of the right answers add up to 80%, not 100%."),
        (
            "PEL-09",
            52,
            "failed",
            "No right answer: mark it with “=”, or give the right answers positive weights.",
        ),
        (
            "Bagian berikut membahas maklumat pelayanan.",
            54,
            "skipped",
            "Unsupported question type: description (text without answers).",
        ),
    ]


def test_aiken_bank_imports_good_questions_and_reports_the_rest() -> None:
    result = parse_aiken(read("formats_bank.aiken.txt"))

    assert [(q.line, q.text) for q in result.questions] == [
        (1, "Siapa presiden pertama Republik Indonesia?"),
        (7, "Pancasila ditetapkan sebagai dasar negara pada<br>tanggal 18 Agustus 1945 oleh:"),
        (14, "Tag &lt;script&gt; dalam e-mail phishing berarti:"),
    ]
    assert [(i.name, i.line, i.reason) for i in result.issues] == [
        ("Soal tanpa kunci jawaban", 19, "The ANSWER line (for example “ANSWER: B”) is missing."),
        ("Soal dengan kunci yang tidak ada", 23, "ANSWER: D has no matching option."),
        (
            "Soal dengan urutan pilihan yang salah",
            28,
            "The options are not in sequence: expected C but found D.",
        ),
    ]
