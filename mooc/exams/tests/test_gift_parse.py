"""GIFT constructs one by one: what is imported, what is skipped and named, what fails."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mooc.exams.formats import ParsedOption, ParsedQuestion, ParseIssue
from mooc.exams.formats import gift as gift_module
from mooc.exams.formats.gift import parse_gift

pytestmark = pytest.mark.usefixtures("english")


def only_question(text: str) -> ParsedQuestion:
    result = parse_gift(text)
    assert result.issues == []
    assert len(result.questions) == 1
    return result.questions[0]


def only_issue(text: str) -> ParseIssue:
    result = parse_gift(text)
    assert result.questions == []
    assert len(result.issues) == 1
    return result.issues[0]


# --- Supported questions ------------------------------------------------------------------


def test_single_answer_question_has_one_right_option() -> None:
    question = only_question("Ibu kota Indonesia adalah?{=Jakarta ~Bandung ~Surabaya}")

    assert question.qtype == "single"
    assert question.text == "Ibu kota Indonesia adalah?"
    assert question.options == (
        ParsedOption("Jakarta", Decimal(100)),
        ParsedOption("Bandung", Decimal(0)),
        ParsedOption("Surabaya", Decimal(0)),
    )
    assert question.title == ""
    assert question.name == "Ibu kota Indonesia adalah?"


def test_title_names_the_question_and_is_left_out_of_its_text() -> None:
    question = only_question(
        "::PNS-01:: Apa singkatan ASN? {=Aparatur Sipil Negara ~Aparat Negara}"
    )

    assert question.title == "PNS-01"
    assert question.name == "PNS-01"
    assert question.text == "Apa singkatan ASN?"


def test_whole_line_comments_are_ignored_even_inside_a_question() -> None:
    question = only_question(
        "// soal pertama\nPilih yang benar:{\n  // kunci: Jakarta\n  =Jakarta\n  ~Bandung\n}"
    )

    assert question.line == 2
    assert [option.text for option in question.options] == ["Jakarta", "Bandung"]


def test_double_slash_inside_a_line_is_text_not_a_comment() -> None:
    question = only_question("Situs resmi: https://www.menpan.go.id {=Ya ~Tidak}")

    assert question.text == "Situs resmi: https://www.menpan.go.id"


def test_escaped_special_characters_are_text() -> None:
    question = only_question(
        r"Rumus 1 \= 1, \~ \#tagar \{kurung\} a\:b?{=ya\=ya \# nomor ~tidak\~ #umpan\:balik}"
    )

    assert question.text == "Rumus 1 = 1, ~ #tagar {kurung} a:b?"
    assert question.options == (
        ParsedOption("ya=ya # nomor", Decimal(100)),
        ParsedOption("tidak~", Decimal(0), "umpan:balik"),
    )


def test_escaped_n_is_a_line_break_and_a_double_backslash_one_backslash() -> None:
    question = only_question(r"Baris satu\nbaris dua \\ \(x^2\)?{=a ~b}")

    assert question.text == r"Baris satu<br>baris dua \ \(x^2\)?"


def test_multi_line_question_keeps_its_line_breaks() -> None:
    question = only_question(
        "Perhatikan data berikut:\n  1. Jujur\n  2. Adil\nMana nilai dasar?{=1 ~2}"
    )

    assert question.text == "Perhatikan data berikut:<br>1. Jujur<br>2. Adil<br>Mana nilai dasar?"


def test_text_without_a_format_is_plain_text_shown_as_typed() -> None:
    question = only_question("Apa arti tag <b> & <i>?{=Tebal & miring ~Tidak ada}")

    assert question.text == "Apa arti tag &lt;b&gt; &amp; &lt;i&gt;?"
    assert question.options[0].text == "Tebal &amp; miring"


def test_html_format_is_kept_as_is_and_applies_to_options_and_feedback() -> None:
    question = only_question("[html]Pilih yang <b>benar</b>:{=<i>ya</i> #<u>tepat</u> ~tidak}")

    assert question.text == "Pilih yang <b>benar</b>:"
    assert question.options[0] == ParsedOption("<i>ya</i>", Decimal(100), "<u>tepat</u>")


def test_plain_format_escapes_html() -> None:
    question = only_question("[plain]Tag <p> berarti?{=paragraf ~gambar}")

    assert question.text == "Tag &lt;p&gt; berarti?"


def test_markdown_format_is_converted_to_html() -> None:
    question = only_question("[markdown]Pilih **satu**:{=_ya_ ~tidak}")

    assert question.text == "<p>Pilih <strong>satu</strong>:</p>"
    assert question.options[0].text == "<p><em>ya</em></p>"


def test_an_option_or_feedback_may_set_its_own_format() -> None:
    question = only_question("Warna?{=[html]<b>kuning</b> # [plain]<tepat> ~[moodle]<merah>}")

    assert question.options == (
        ParsedOption("<b>kuning</b>", Decimal(100), "&lt;tepat&gt;"),
        ParsedOption("&lt;merah&gt;", Decimal(0)),
    )


def test_an_unknown_bracket_prefix_is_part_of_the_text() -> None:
    question = only_question("[catatan] Pilih satu{=a ~b}")

    assert question.text == "[catatan] Pilih satu"


def test_options_have_feedback_and_the_question_general_feedback() -> None:
    question = only_question(
        "::UU-5::Pelayanan publik diatur oleh?{\n"
        "  =UU 25/2009 # Tepat, itu UU Pelayanan Publik.\n"
        "  ~UU 5/2014 # Itu UU ASN.\n"
        "  ####Lihat juga PP 96/2012.\n"
        "}"
    )

    assert question.options == (
        ParsedOption("UU 25/2009", Decimal(100), "Tepat, itu UU Pelayanan Publik."),
        ParsedOption("UU 5/2014", Decimal(0), "Itu UU ASN."),
    )
    assert question.general_feedback == "Lihat juga PP 96/2012."


def test_weights_summing_to_100_make_a_multiple_response_question() -> None:
    question = only_question(
        "Pilih dua nilai BerAKHLAK:{~%50%Akuntabel ~%50%Adaptif ~%-25%Birokratis ~Lamban}"
    )

    assert question.qtype == "multiple"
    assert [option.weight for option in question.options] == [
        Decimal(50),
        Decimal(50),
        Decimal(-25),
        Decimal(0),
    ]


def test_weights_within_a_hundredth_of_100_are_accepted() -> None:
    question = only_question("Pilih tiga:{~%33.333%a ~%33.333%b ~%33.333%c ~%-100%d}")

    assert question.qtype == "multiple"
    assert question.options[0].weight == Decimal("33.333")


@pytest.mark.parametrize(
    "answers",
    ["{~%100%Jakarta ~Bandung}", "{=%100%Jakarta ~Bandung}", "{=Jakarta ~%-50%Bandung}"],
)
def test_exactly_one_answer_at_100_percent_is_a_single_answer_question(answers: str) -> None:
    question = only_question(f"Ibu kota?{answers}")

    assert question.qtype == "single"
    assert question.options[0].weight == 100


@pytest.mark.parametrize(
    ("written", "true_weight", "false_weight"),
    [("T", 100, 0), ("TRUE", 100, 0), ("F", 0, 100), ("FALSE", 0, 100)],
)
def test_true_false_question_gets_two_options(
    written: str, true_weight: int, false_weight: int
) -> None:
    question = only_question(f"ASN harus netral.{{{written}}}")

    assert question.qtype == "truefalse"
    assert question.options == (
        ParsedOption("True", Decimal(true_weight)),
        ParsedOption("False", Decimal(false_weight)),
    )


def test_true_false_feedback_goes_to_the_option_whose_choice_shows_it() -> None:
    # {answer#shown when answered wrong#shown when answered right}, as in Moodle.
    right_true = only_question("Langit biru.{T#Salah pilih.#Betul!####Karena hamburan.}")
    right_false = only_question("Bumi datar.{FALSE#Salah pilih.#Betul!}")

    assert right_true.options == (
        ParsedOption("True", Decimal(100), "Betul!"),
        ParsedOption("False", Decimal(0), "Salah pilih."),
    )
    assert right_true.general_feedback == "Karena hamburan."
    assert right_false.options == (
        ParsedOption("True", Decimal(0), "Salah pilih."),
        ParsedOption("False", Decimal(100), "Betul!"),
    )


def test_true_false_labels_are_translated_when_the_file_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    indonesian = {"True": "Benar", "False": "Salah"}
    monkeypatch.setattr(gift_module, "_", lambda message: indonesian.get(message, message))

    question = only_question("ASN harus netral.{T}")

    assert [option.text for option in question.options] == ["Benar", "Salah"]


def test_category_applies_to_the_questions_that_follow_it() -> None:
    result = parse_gift(
        "Tanpa kategori{=a ~b}\n\n"
        "$CATEGORY: Orientasi/Nilai Dasar\n\n"
        "Soal satu{=a ~b}\n\n"
        "Soal dua{=a ~b}\n\n"
        "$CATEGORY: Orientasi/Etika\n"
        "Soal tiga, tepat di bawah kategorinya{=a ~b}\n\n"
        "$CATEGORY:\n\n"
        "Soal empat{=a ~b}"
    )

    assert result.issues == []
    assert [(q.text, q.category) for q in result.questions] == [
        ("Tanpa kategori", ""),
        ("Soal satu", "Orientasi/Nilai Dasar"),
        ("Soal dua", "Orientasi/Nilai Dasar"),
        ("Soal tiga, tepat di bawah kategorinya", "Orientasi/Etika"),
        ("Soal empat", ""),
    ]
    assert result.questions[3].line == 10


def test_blank_lines_separate_questions_and_lines_count_from_the_file_start() -> None:
    result = parse_gift(
        "// bank\n\n::A::Soal A{=a ~b}\n\n\n\n// komentar sebelum soal\n::B::Soal B\n{=a ~b}"
    )

    assert result.issues == []
    assert [(q.title, q.line) for q in result.questions] == [("A", 3), ("B", 8)]


def test_questions_without_a_blank_line_between_them_are_one_block_as_in_moodle() -> None:
    issue = only_issue("::A::Soal A{=a ~b}\n::B::Soal B{=a ~b}")

    assert (issue.name, issue.line, issue.kind) == ("A", 1, "failed")
    assert "only one answer block" in issue.reason


def test_windows_line_ends_are_read_like_unix_ones() -> None:
    result = parse_gift("::A::Soal{\r\n=a\r\n~b\r\n}\r\n\r\n::B::Soal{=a ~b}\r\n")

    assert [(q.title, q.line) for q in result.questions] == [("A", 1), ("B", 6)]


def test_punctuation_after_the_answers_leaves_a_blank_as_moodle_does() -> None:
    question = only_question("Ibu kota Indonesia adalah {=Jakarta ~Bandung}.")

    assert question.qtype == "single"
    assert question.text == "Ibu kota Indonesia adalah _____."


def test_a_bad_question_does_not_stop_the_next_good_one() -> None:
    result = parse_gift("::rusak:: Soal {=a ~b\n\n::baik:: Soal {=a ~b}")

    assert [q.title for q in result.questions] == ["baik"]
    assert [(issue.name, issue.kind) for issue in result.issues] == [("rusak", "failed")]


# --- Unsupported types: skipped and named -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "type_name"),
    [
        ("::E1:: Ceritakan pengalaman Anda. {}", "essay"),
        ("::E2:: Ceritakan pengalaman Anda. {####Dinilai manual.}", "essay"),
        ("::M1:: Jodohkan. {=Jakarta -> DKI =Bandung -> Jabar}", "matching"),
        ("::N1:: Berapa sila Pancasila? {#5}", "numerical"),
        ("::N2:: Tahun proklamasi? {#1945:0 ~#Salah}", "numerical"),
        ("::S1:: Ibu kota Indonesia? {=Jakarta =DKI Jakarta}", "short answer"),
        ("::S2:: Ibu kota Indonesia? {Jakarta}", "short answer"),
        ("::W1:: Ibu kota {=Jakarta ~Bandung} terletak di Jawa.", "fill-in-the-middle"),
        ("::W2:: Pernyataan {T} ini benar.", "fill-in-the-middle"),
        ("::D1:: Bagian 2 membahas etika pelayanan.", "description"),
    ],
)
def test_unsupported_types_are_skipped_and_named(text: str, type_name: str) -> None:
    issue = only_issue(f"// soal\n{text}")

    assert issue.kind == "skipped"
    assert issue.line == 2
    assert issue.name == text.split("::")[1]
    assert issue.reason.startswith(f"Unsupported question type: {type_name}")


def test_a_skipped_question_without_title_is_named_by_its_first_words() -> None:
    issue = only_issue(
        "[html]Jelaskan <b>secara singkat</b> tugas pokok dan fungsi unit kerja Anda {}"
    )

    assert issue.name == "Jelaskan secara singkat tugas pokok dan fungsi unit…"


# --- Malformed questions: failed, saying what is wrong ------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Soal {=a ~b", "Unclosed brace"),
        ("Soal {\n=a\n~b", "Unclosed brace"),
        ("Soal } {=a ~b}", "Unbalanced braces: a “}” comes before any “{”"),
        ("Soal =a ~b}", "Unbalanced braces: a “}” comes before any “{”"),
        ("Soal {=a {b} ~c}", "a second “{” opens inside the answers"),
        ("Soal {=a ~b} dan {=c ~d}", "only one answer block"),
        ("Soal {=a ~b} }", "only one answer block"),
        ("::judul tanpa penutup Soal {=a ~b}", "The title is not closed"),
        ("Soal {~a ~b ~c}", "No right answer"),
        ("Soal {~%0%a ~%-50%b}", "No right answer"),
        ("Soal {=a =b ~c}", "2 answers are marked right with “=”"),
        ("Soal {=a ~%50%b ~c}", "only the answer marked with “=” may have a positive weight"),
        ("Soal {~%50%a ~%40%b ~c}", "add up to 90%, not 100%"),
        ("Soal {~%50%a ~c}", "add up to 50%, not 100%"),
        ("Soal {~%100%a ~%50%b}", "add up to 150%, not 100%"),
        ("Soal {~%150%a ~b}", "The weight 150% of answer 1 is not between -100% and 100%"),
        ("Soal {=a ~%-101%b}", "The weight -101% of answer 2 is not between -100% and 100%"),
        ("Soal {~%abc%a ~%50%b}", "The weight “abc” of answer 1 is not a number"),
        ("Soal {~%50,5%a ~%49,5%b}", "The weight “50,5” of answer 1 is not a number"),
        ("{=a ~b}", "The question has no text"),
        ("::T1::  {=a ~b}", "The question has no text"),
        ("[html] {=a ~b}", "The question has no text"),
        ("Soal {= ~b}", "Answer 1 has no text"),
        ("Soal {=a ~ #umpan balik}", "Answer 2 has no text"),
        ("Soal {=a ~%50%}", "Answer 2 has no text"),
        ("Soal {~a}", "needs at least two answers"),
        ("Soal {Jakarta ~Bandung =Surabaya}", "Answer “Jakarta” must start with = (right answer)"),
    ],
)
def test_malformed_questions_fail_saying_what_is_wrong(text: str, reason: str) -> None:
    issue = only_issue(f"\n{text}")

    assert issue.kind == "failed"
    assert issue.line == 2
    assert reason in issue.reason


def test_a_failed_question_is_named_by_its_title_or_first_words() -> None:
    result = parse_gift("::K-7:: Soal {~a ~b}\n\nSiapa pembina kepegawaian di kementerian? {~a ~b}")

    assert [issue.name for issue in result.issues] == [
        "K-7",
        "Siapa pembina kepegawaian di kementerian?",
    ]


def test_report_names_and_quoted_text_stay_short_even_without_spaces() -> None:
    result = parse_gift(f"::{'j' * 500}:: Soal {{~a ~b}}\n\n{'x' * 5000}{{{'y' * 5000} ~a =b}}")

    assert [len(issue.name) for issue in result.issues] == [80, 80]
    assert len(result.issues[1].reason) < 200


def test_an_empty_or_comment_only_file_has_nothing_to_report() -> None:
    assert parse_gift("") == parse_gift("// hanya komentar\n\n   \n$CATEGORY: X\n")
    assert parse_gift("").questions == []
    assert parse_gift("").issues == []
