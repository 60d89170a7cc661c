"""`question_file_parse`: files as people save them, and the files we refuse."""

from __future__ import annotations

import pytest
from django.test import override_settings

from mooc.core.errors import ServiceError
from mooc.exams.services.banks import question_file_parse, question_format_sniff

pytestmark = pytest.mark.usefixtures("english")

GIFT = """// Bank soal orientasi
$CATEGORY: Orientasi/Nilai Dasar

::berakhlak::Apa kepanjangan huruf B pada BerAKHLAK?{
=Berorientasi pelayanan
~Bertanggung jawab
~Berani
}

::netral::ASN wajib bersikap netral dalam pemilu.{T}
"""

AIKEN = """Siapa yang menetapkan kode etik ASN?
A. Presiden
B. Instansi pemerintah masing-masing
C. Partai politik
ANSWER: B

Berapa JP minimal pengembangan kompetensi per tahun?
A) 10 JP
B) 20 JP
ANSWER: B
"""


def test_a_gift_file_is_read_by_its_extension() -> None:
    result = question_file_parse(data=GIFT.encode(), filename="orientasi.gift")

    assert [(q.title, q.qtype, q.category, q.line) for q in result.questions] == [
        ("berakhlak", "single", "Orientasi/Nilai Dasar", 4),
        ("netral", "truefalse", "Orientasi/Nilai Dasar", 10),
    ]


@pytest.mark.parametrize(
    ("text", "expected"), [(GIFT, "gift"), (AIKEN, "aiken"), ("Teks tanpa tanda.", "gift")]
)
def test_a_txt_file_is_recognised_by_its_content(text: str, expected: str) -> None:
    assert question_format_sniff(text) == expected


def test_an_aiken_txt_file_is_read_as_aiken() -> None:
    result = question_file_parse(data=AIKEN.encode(), filename="soal.txt")

    assert [(q.qtype, q.line, len(q.options)) for q in result.questions] == [
        ("single", 1, 3),
        ("single", 7, 2),
    ]


def test_the_format_given_wins_over_the_name() -> None:
    result = question_file_parse(data=AIKEN.encode(), filename="soal.gift", fmt="aiken")

    assert len(result.questions) == 2


def test_utf8_with_bom_and_crlf_is_read_as_plain_utf8() -> None:
    data = b"\xef\xbb\xbf" + GIFT.replace("\n", "\r\n").encode()

    result = question_file_parse(data=data, filename="orientasi.gift")

    assert [q.title for q in result.questions] == ["berakhlak", "netral"]
    assert result.questions[0].options[0].text == "Berorientasi pelayanan"


def test_a_windows_1252_file_is_refused_with_a_message_saying_so() -> None:
    data = "::kopi::Café di kantor?{T}\n".encode("cp1252")

    with pytest.raises(ServiceError) as caught:
        question_file_parse(data=data, filename="soal.gift")

    message = str(caught.value.message)
    assert "must be saved as UTF-8" in message
    assert "Windows-1252" in message
    assert "line 1" in message
    assert caught.value.field == "file"


@pytest.mark.parametrize("data", [b"", b"   \n\r\n", b"\xef\xbb\xbf\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(ServiceError) as caught:
        question_file_parse(data=data, filename="soal.gift")

    assert str(caught.value.message) == "The file is empty."


@override_settings(MAX_QUESTION_FILE_MB=1)
def test_a_file_over_the_size_limit_is_refused() -> None:
    data = GIFT.encode() * (1024 * 1024 // len(GIFT.encode()) + 1)

    with pytest.raises(ServiceError) as caught:
        question_file_parse(data=data, filename="soal.gift")

    assert str(caught.value.message) == "The file is too large: at most 1.0\xa0MB."
    assert caught.value.code == "too_large"


@pytest.mark.parametrize("name", ["soal.xml", "soal.docx", "soal.gift.pdf"])
def test_other_kinds_of_files_are_refused(name: str) -> None:
    with pytest.raises(ServiceError) as caught:
        question_file_parse(data=GIFT.encode(), filename=name)

    assert "GIFT or Aiken" in str(caught.value.message)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ServiceError) as caught:
        question_file_parse(data=GIFT.encode(), filename="soal.gift", fmt="xml")

    assert caught.value.field == "format"
