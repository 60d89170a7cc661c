"""Aiken files to parsed questions.

    Siapa presiden pertama Republik Indonesia?
    A) Soekarno
    B. Mohammad Hatta
    ANSWER: A

The question text may run over several lines; options are a capital letter
with ")" or "." (Moodle takes them without a space after it too), and
"ANSWER: X" ends the question. Everything is plain text, so it is HTML-escaped:
a question about "<b>" shows "<b>", as in Moodle.

Unlike Moodle, which reads one line of question text and silently drops a
question when a new one starts, every incomplete question is reported.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from mooc.exams.formats import ParsedOption, ParsedQuestion, ParseIssue, ParseResult, first_words

_OPTION = re.compile(r"([A-Z])[.)]\s*(.*)")
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)")
_ANSWER_LETTER = re.compile(r"([A-Za-z])[.)]?")
_MAX_OPTIONS = 26


@dataclass
class _Item:
    """The lines of one question as read, before they are judged."""

    line: int
    text: list[str] = field(default_factory=list)
    text_done: bool = False  # a blank line or an option ended the question text
    options: list[tuple[str, str]] = field(default_factory=list)  # (letter, text)
    answer: str | None = None


def parse_aiken(text: str) -> ParseResult:
    result = ParseResult()
    for item in _items(text):
        outcome = _judge(item)
        if isinstance(outcome, ParsedQuestion):
            result.questions.append(outcome)
        else:
            result.issues.append(outcome)
    return result


def _items(text: str) -> list[_Item]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    items: list[_Item] = []
    current: _Item | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line)
        if not line:
            if current is not None:
                current.text_done = True
        elif answer:
            if current is None:  # an ANSWER line with nothing before it
                current = _Item(line=number)
                items.append(current)
            current.answer = answer.group(1).strip()
            current = None
        elif option:
            if current is None:  # options without a question: reported as one item
                current = _Item(line=number)
                items.append(current)
            current.text_done = True
            current.options.append((option.group(1), option.group(2).strip()))
        else:
            if current is None or current.text_done:
                current = _Item(line=number)
                items.append(current)
            current.text.append(line)
    return items


def _judge(item: _Item) -> ParsedQuestion | ParseIssue:
    text = "\n".join(item.text)
    name = _excerpt(text) or _excerpt(" ".join(option for _letter, option in item.options))

    def failed(reason: str) -> ParseIssue:
        return ParseIssue(line=item.line, kind="failed", name=name, reason=reason)

    if not item.text:
        return failed(_("Options or an ANSWER line without a question text before them."))
    if len(item.options) < 2:
        return failed(
            _("A question needs at least two options (A, B, …); found %(count)s.")
            % {"count": len(item.options)}
        )
    for index, (letter, _option) in enumerate(item.options):
        expected = chr(ord("A") + index) if index < _MAX_OPTIONS else "–"
        if letter != expected:
            return failed(
                _("The options are not in sequence: expected %(expected)s but found %(found)s.")
                % {"expected": expected, "found": letter}
            )
    for letter, option_text in item.options:
        if not option_text:
            return failed(_("Option %(letter)s has no text.") % {"letter": letter})
    if item.answer is None:
        return failed(_("The ANSWER line (for example “ANSWER: B”) is missing."))
    answer = _ANSWER_LETTER.fullmatch(item.answer)
    if answer is None:
        return failed(
            _("The ANSWER line must give one letter, not “%(answer)s”.")
            % {"answer": _excerpt(item.answer, limit=20)}
        )
    right = answer.group(1).upper()
    if right not in {letter for letter, _option in item.options}:
        return failed(_("ANSWER: %(letter)s has no matching option.") % {"letter": right})
    return ParsedQuestion(
        line=item.line,
        qtype="single",
        text=_plain_html(text),
        options=tuple(
            ParsedOption(_plain_html(option_text), Decimal(100 if letter == right else 0))
            for letter, option_text in item.options
        ),
    )


def _excerpt(text: str, limit: int = 80) -> str:
    # first_words counts words; a line without spaces still needs a short name.
    words = first_words(text)
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _plain_html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")
