"""Turning an uploaded question file into text, or saying why it can't be.

Content teams save GIFT and Aiken files from Notepad, Word or a Moodle export:
UTF-8 with or without a byte order mark, Windows or Unix line ends. Anything
else is refused with a message that says how to fix the file, because guessing
an encoding imports question texts with garbled letters that nobody notices
until an exam.
"""

from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext as _

# UTF-32 first: its little-endian mark starts with UTF-16's.
_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


class QuestionFileError(ValueError):
    """The file is not UTF-8 text; str(error) is the translated message for the user."""


def decode_question_file(data: bytes) -> str:
    """UTF-8 bytes (a BOM allowed) to text with LF line ends; QuestionFileError otherwise."""
    for mark, encoding in _FOREIGN_BOMS:
        if data.startswith(mark):
            raise QuestionFileError(
                _(
                    "The file is saved as %(encoding)s; it must be saved as UTF-8. "
                    "Save it again with the encoding UTF-8 and upload it again."
                )
                % {"encoding": encoding}
            )
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    data = data[bom:]
    if b"\x00" in data:
        # Valid UTF-8 but not text: UTF-16 without a mark, or a .docx/.pdf renamed.
        raise QuestionFileError(
            _(
                "The file contains null bytes, so it is not a plain text file (it may be "
                "UTF-16 without a byte order mark, or a word-processor document). "
                "Save it as plain text with the encoding UTF-8 and upload it again."
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QuestionFileError(_invalid_utf8_message(data, error.start, bom)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _invalid_utf8_message(data: bytes, offset: int, bom: int) -> str:
    line = len(_LINE_BREAK.split(data[:offset]))
    return _(
        "The file must be saved as UTF-8. Its first byte that is not UTF-8 (0x%(byte)s) "
        "is on line %(line)s, byte %(offset)s of the file; the file was probably saved as "
        "ANSI (Windows-1252). Save it again with the encoding UTF-8 and upload it again."
    ) % {"byte": f"{data[offset]:02X}", "line": line, "offset": bom + offset + 1}
