"""Question files as people save them: UTF-8 is read, anything else is refused clearly."""

from __future__ import annotations

import pytest

from mooc.exams.formats.decode import QuestionFileError, decode_question_file

pytestmark = pytest.mark.usefixtures("english")

TEXT = "Soal “kutipan” — é\nA) ya\n"


def test_utf8_is_read_as_is() -> None:
    assert decode_question_file(TEXT.encode()) == TEXT


def test_utf8_byte_order_mark_is_dropped() -> None:
    assert decode_question_file(b"\xef\xbb\xbf" + TEXT.encode()) == TEXT


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_become_unix_ones(line_end: str) -> None:
    data = TEXT.replace("\n", line_end).encode()

    assert decode_question_file(data) == TEXT


def test_windows_1252_file_is_refused_with_the_line_and_byte_of_the_first_bad_byte() -> None:
    data = "Soal satu?\r\nA) ya\r\nB) “tidak”\r\n".encode("cp1252")

    with pytest.raises(QuestionFileError) as caught:
        decode_question_file(data)

    message = str(caught.value)
    assert "must be saved as UTF-8" in message
    assert "(0x93) is on line 3, byte 23 of the file" in message
    assert "Windows-1252" in message


def test_position_of_a_bad_byte_counts_the_byte_order_mark() -> None:
    with pytest.raises(QuestionFileError, match=r"on line 1, byte 6 of the file"):
        decode_question_file(b"\xef\xbb\xbfab\xe9")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-16"), "UTF-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16"),
        (TEXT.encode("utf-32"), "UTF-32"),
    ],
)
def test_utf16_and_utf32_files_are_refused_by_name(data: bytes, encoding: str) -> None:
    with pytest.raises(QuestionFileError) as caught:
        decode_question_file(data)

    assert f"saved as {encoding}; it must be saved as UTF-8" in str(caught.value)


def test_utf16_without_byte_order_mark_is_not_taken_for_text() -> None:
    with pytest.raises(QuestionFileError, match="null bytes"):
        decode_question_file(TEXT.encode("utf-16-le"))


def test_an_empty_file_decodes_to_empty_text() -> None:
    assert decode_question_file(b"") == ""
