"""Moodle GIFT files to parsed questions.

Follows Moodle's own reader (question/format/gift/format.php) wherever it is
well defined: questions are blocks of lines separated by blank lines, lines
starting with // are comments, each line is trimmed, a backslash escapes
`\\ = ~ # { } :` and `\\n` is a line break. The answer block's content decides the
type in Moodle's order (essay, numerical, multiple choice, matching, true/false,
short answer). Where Moodle silently imports something odd (text before the
first answer marker, a title without its closing `::`) this reader reports it.

Only single-answer multiple choice, multiple response and true/false are taken;
every other block becomes a ParseIssue naming its type or what is wrong with it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _

from mooc.core.markup import MarkdownTooComplex, markdown_render
from mooc.exams.formats import (
    IssueKind,
    ParsedOption,
    ParsedQuestion,
    ParseIssue,
    ParseResult,
    QuestionType,
    first_words,
)

TextFormat = Literal["moodle", "html", "plain", "markdown"]
_FORMATS: dict[str, TextFormat] = {
    "moodle": "moodle",
    "html": "html",
    "plain": "plain",
    "markdown": "markdown",
}
_ESCAPES = {"\\": "\\", "=": "=", "~": "~", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n"}
_CATEGORY = "$CATEGORY:"
# Moodle writes a category as a context token and a path: `$course$/top/Nilai Dasar`.
# Every bank here belongs to one course, so the token (and Moodle's synthetic `top`)
# only names where Moodle kept it; the category is the path after them.
_CATEGORY_CONTEXT = re.compile(r"^\$(?:course|system|module|coursecategory|cat\d*)\$/", re.I)
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Moodle's "missing word" blank, put where the answers stood.
_BLANK = "_____"
# A weight is short (`%50%`, `%-33.333%`); a longer `%…%` is left as text.
_WEIGHT = re.compile(r"%([^%\n]{0,20})%")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_SUM_TOLERANCE = Decimal("0.01")
# One question's text in [markdown]: far beyond any real question, far below the cost
# of a file-sized text (the file itself may hold MAX_QUESTION_FILE_MB).
MAX_MARKDOWN_CHARS = 100_000


def category_name_from_gift(raw: str) -> str:
    """`$course$/top/Nilai Dasar` → `Nilai Dasar`; a plain `Nilai Dasar` stays itself."""
    name = raw.strip()
    stripped = _CATEGORY_CONTEXT.sub("", name)
    if stripped != name:
        name = stripped.strip("/").strip()
        if name.lower() == "top":
            return ""
        if name.lower().startswith("top/"):
            name = name[4:].strip()
    return name


def parse_gift(text: str) -> ParseResult:
    result = ParseResult()
    category = ""
    for block in _blocks(text):
        while block and block[0][1].startswith(_CATEGORY):
            # Moodle wants the category line alone in its block; a question right
            # under it is read as a question rather than swallowed into the name.
            category = category_name_from_gift(block[0][1][len(_CATEGORY) :])
            block = block[1:]
        if not block:
            continue
        outcome = _read_block(block, category)
        if isinstance(outcome, ParsedQuestion):
            result.questions.append(outcome)
        else:
            result.issues.append(outcome)
    return result


def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """Blank-line separated blocks of (line number, trimmed line), comments left out."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        content = line.strip()
        if not content:
            if block:
                yield block
            block = []
        elif not content.startswith("//"):
            block.append((number, content))
    if block:
        yield block


# --- Escape-aware text --------------------------------------------------------------------


class _Span:
    """Text with its escapes resolved, remembering which characters were escaped,
    so that `\\=` is the letter "=" and never an answer marker."""

    __slots__ = ("escaped", "text")

    def __init__(self, text: str, escaped: tuple[bool, ...]) -> None:
        self.text = text
        self.escaped = escaped

    @classmethod
    def scan(cls, raw: str) -> _Span:
        chars: list[str] = []
        escaped: list[bool] = []
        at = 0
        while at < len(raw):
            following = raw[at + 1] if at + 1 < len(raw) else ""
            if raw[at] == "\\" and following in _ESCAPES:
                chars.append(_ESCAPES[following])
                escaped.append(True)
                at += 2
            else:
                chars.append(raw[at])
                escaped.append(False)
                at += 1
        return cls("".join(chars), tuple(escaped))

    @classmethod
    def literal(cls, text: str) -> _Span:
        return cls(text, (True,) * len(text))

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, part: slice) -> _Span:
        return _Span(self.text[part], self.escaped[part])

    def __add__(self, other: _Span) -> _Span:
        return _Span(self.text + other.text, self.escaped + other.escaped)

    def _is_marker_at(self, at: int, marker: str) -> bool:
        return self.text.startswith(marker, at) and not any(self.escaped[at : at + len(marker)])

    def find(self, marker: str, start: int = 0) -> int:
        at = self.text.find(marker, start)
        while at >= 0 and not self._is_marker_at(at, marker):
            at = self.text.find(marker, at + 1)
        return at

    def rfind(self, marker: str) -> int:
        at = self.text.rfind(marker)
        while at >= 0 and not self._is_marker_at(at, marker):
            at = self.text.rfind(marker, 0, at + len(marker) - 1)
        return at

    def startswith(self, marker: str) -> bool:
        return self._is_marker_at(0, marker)

    def split_once(self, marker: str) -> tuple[_Span, _Span | None]:
        at = self.find(marker)
        if at < 0:
            return self, None
        return self[:at], self[at + len(marker) :]

    def lstrip(self) -> _Span:
        return self[len(self.text) - len(self.text.lstrip()) :]

    def strip(self) -> _Span:
        start = len(self.text) - len(self.text.lstrip())
        return self[start : start + len(self.text.strip())]


_EMPTY = _Span("", ())


# --- One question -------------------------------------------------------------------------


class _Rejected(Exception):
    def __init__(self, kind: IssueKind, reason: str) -> None:
        super().__init__(reason)
        self.kind: IssueKind = kind
        self.reason = reason


def _failed(reason: str) -> _Rejected:
    return _Rejected("failed", reason)


def _skipped(type_name: str) -> _Rejected:
    return _Rejected("skipped", _("Unsupported question type: %(type)s.") % {"type": type_name})


@dataclass(frozen=True)
class _Choice:
    marker: str  # "=" or "~"
    weight: Decimal
    weighted: bool  # the weight was written as %n%
    text: str  # HTML
    feedback: str  # HTML


def _read_block(block: list[tuple[int, str]], category: str) -> ParsedQuestion | ParseIssue:
    line = block[0][0]
    source = _Span.scan("\n".join(content for _number, content in block))
    try:
        return _read_question(source, line=line, category=category)
    except _Rejected as rejected:
        return ParseIssue(
            line=line, kind=rejected.kind, name=_report_name(source), reason=rejected.reason
        )


def _read_question(source: _Span, *, line: int, category: str) -> ParsedQuestion:
    title, body = _take_title(source)
    braces = _answer_braces(body)
    if braces is None:
        raise _skipped(_("description (text without answers)"))
    opening, closing = braces
    answers, general_feedback = _take_general_feedback(body[opening + 1 : closing])
    kind = _answer_kind(answers)
    unsupported = {
        "essay": _("essay"),
        "numerical": _("numerical"),
        "matching": _("matching"),
        "shortanswer": _("short answer"),
    }
    if kind in unsupported:
        raise _skipped(unsupported[kind])
    after = body[closing + 1 :].strip()
    if any(char.isalnum() for char in after.text):
        raise _skipped(_("fill-in-the-middle (missing word)"))

    text_format, head = _take_format(body[:opening].lstrip(), "moodle")
    if not head.strip():
        raise _failed(_("The question has no text."))
    # Only punctuation after the answers ("… is {=a ~b}."): Moodle shows a blank there.
    question_text = (head + _Span.literal(_BLANK) + after) if after else head
    if kind == "truefalse":
        qtype: QuestionType = "truefalse"
        options = _true_false_options(answers, text_format)
    else:
        choices = _read_choices(answers, text_format)
        qtype = _choice_type(choices)
        options = tuple(ParsedOption(c.text, c.weight, c.feedback) for c in choices)
    return ParsedQuestion(
        line=line,
        qtype=qtype,
        text=_to_html(question_text.strip(), text_format),
        options=options,
        title=title,
        category=category,
        general_feedback=_formatted(general_feedback, text_format),
    )


def _take_title(source: _Span) -> tuple[str, _Span]:
    if not source.startswith("::"):
        return "", source
    end = source.find("::", 2)
    if end < 0:
        raise _failed(_("The title is not closed: write it as ::title:: before the question."))
    return source[2:end].text.strip(), source[end + 2 :]


def _answer_braces(body: _Span) -> tuple[int, int] | None:
    opening, closing = body.find("{"), body.find("}")
    if opening < 0 and closing < 0:
        return None
    if opening < 0 or 0 <= closing < opening:
        raise _failed(_("Unbalanced braces: a “}” comes before any “{”."))
    if closing < 0:
        raise _failed(_("Unclosed brace: the “{” of the answers has no closing “}”."))
    if 0 <= body.find("{", opening + 1) < closing:
        raise _failed(
            _(
                "Unbalanced braces: a second “{” opens inside the answers; "
                "escape a brace meant as text with a backslash."
            )
        )
    if body.find("{", closing + 1) >= 0 or body.find("}", closing + 1) >= 0:
        raise _failed(
            _(
                "Unbalanced braces: a question has only one answer block {…}; "
                "escape a brace meant as text with a backslash."
            )
        )
    return opening, closing


def _take_general_feedback(answers: _Span) -> tuple[_Span, _Span]:
    at = answers.rfind("####")
    if at < 0:
        return answers.strip(), _EMPTY
    return answers[:at].strip(), answers[at + 4 :]


def _answer_kind(answers: _Span) -> str:
    """Moodle's order of tests on the answer block decides the type."""
    if not answers.text:
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if answers.find("~") >= 0:
        return "choice"
    if answers.find("=") >= 0 and answers.find("->") >= 0:
        return "matching"
    head, _feedback = answers.split_once("#")
    if head.strip().text in _TRUE_FALSE and not any(head.strip().escaped):
        return "truefalse"
    return "shortanswer"


def _true_false_options(answers: _Span, text_format: TextFormat) -> tuple[ParsedOption, ...]:
    # {T#feedback when answered wrong#feedback when answered right}, as Moodle reads it.
    head, rest = answers.split_once("#")
    wrong, right = rest.split_once("#") if rest is not None else (_EMPTY, None)
    wrong_html = _formatted(wrong, text_format)
    right_html = _formatted(right or _EMPTY, text_format)
    true_label, false_label = _("True"), _("False")
    if _TRUE_FALSE[head.strip().text]:
        return (
            ParsedOption(true_label, Decimal(100), right_html),
            ParsedOption(false_label, Decimal(0), wrong_html),
        )
    return (
        ParsedOption(true_label, Decimal(0), wrong_html),
        ParsedOption(false_label, Decimal(100), right_html),
    )


def _read_choices(answers: _Span, text_format: TextFormat) -> list[_Choice]:
    marks = [at for at, char in enumerate(answers.text) if char in "=~" and not answers.escaped[at]]
    if marks[0] > 0:
        raise _failed(
            _("Answer “%(text)s” must start with = (right answer) or ~ (wrong answer).")
            % {"text": _excerpt(answers[: marks[0]].strip().text)}
        )
    ends = [*marks[1:], len(answers)]
    return [
        _read_choice(answers[start + 1 : end], answers.text[start], number, text_format)
        for number, (start, end) in enumerate(zip(marks, ends, strict=True), start=1)
    ]


def _read_choice(body: _Span, marker: str, number: int, text_format: TextFormat) -> _Choice:
    body = body.strip()
    weighted = _WEIGHT.match(body.text)
    if weighted:
        weight = _weight(weighted.group(1).strip(), number)
        body = body[weighted.end() :]
    else:
        weight = Decimal(100) if marker == "=" else Decimal(0)
    text, feedback = body.split_once("#")
    option_format, text = _take_format(text.strip(), text_format)
    if not text.strip():
        raise _failed(_("Answer %(number)s has no text.") % {"number": number})
    return _Choice(
        marker=marker,
        weight=weight,
        weighted=weighted is not None,
        text=_to_html(text.strip(), option_format),
        feedback=_formatted(feedback or _EMPTY, text_format),
    )


def _weight(written: str, number: int) -> Decimal:
    if not _NUMBER.fullmatch(written):
        raise _failed(
            _("The weight “%(weight)s” of answer %(number)s is not a number.")
            % {"weight": written, "number": number}
        )
    weight = Decimal(written)
    if not Decimal(-100) <= weight <= Decimal(100):
        raise _failed(
            _("The weight %(weight)s%% of answer %(number)s is not between -100%% and 100%%.")
            % {"weight": written, "number": number}
        )
    return weight


def _choice_type(choices: list[_Choice]) -> QuestionType:
    if len(choices) < 2:
        raise _failed(_("A multiple-choice question needs at least two answers."))
    plain_rights = sum(1 for c in choices if c.marker == "=" and not c.weighted)
    if plain_rights > 1:
        raise _failed(
            _(
                "%(count)s answers are marked right with “=”, but a single-answer question "
                "has exactly one; for multiple response give weights instead, like ~%%50%%."
            )
            % {"count": plain_rights}
        )
    positive = [c.weight for c in choices if c.weight > 0]
    if not positive:
        raise _failed(
            _("No right answer: mark it with “=”, or give the right answers positive weights.")
        )
    if positive == [Decimal(100)]:
        return "single"
    if plain_rights:
        raise _failed(
            _(
                "In a single-answer question only the answer marked with “=” may have a "
                "positive weight."
            )
        )
    total = sum(positive, Decimal(0))
    if abs(total - 100) > _SUM_TOLERANCE:
        raise _failed(
            _("The weights of the right answers add up to %(total)s%%, not 100%%.")
            % {"total": format(total.normalize(), "f")}
        )
    return "multiple"


# --- Text formats -------------------------------------------------------------------------


def _take_format(span: _Span, default: TextFormat) -> tuple[TextFormat, _Span]:
    """A leading [html], [plain], [markdown] or [moodle]; anything else in brackets is text."""
    if span.text.startswith("["):
        end = span.text.find("]")
        if end > 0 and span.text[1:end] in _FORMATS:
            return _FORMATS[span.text[1:end]], span[end + 1 :]
    return default, span


def _formatted(span: _Span, default: TextFormat) -> str:
    text_format, text = _take_format(span.strip(), default)
    return _to_html(text.strip(), text_format)


def _to_html(span: _Span, text_format: TextFormat) -> str:
    if text_format == "html":
        return span.text
    if text_format == "markdown":
        try:
            return markdown_render(span.text, max_chars=MAX_MARKDOWN_CHARS)
        except MarkdownTooComplex as error:
            raise _failed(str(error)) from None
    # Plain, and Moodle's auto-format read as plain text: what was typed is what shows.
    return html.escape(span.text, quote=False).replace("\n", "<br>")


def _report_name(source: _Span) -> str:
    """The title, or the first words of the question, for a block that was not taken."""
    body = source
    if body.startswith("::"):
        end = body.find("::", 2)
        title = body[2:end].text.strip() if end >= 0 else ""
        if title:
            return _excerpt(title)
        body = body[end + 2 :] if end >= 0 else body[2:]
    opening = body.find("{")
    head = body[:opening] if opening >= 0 else body
    _format, head = _take_format(head.strip(), "moodle")
    return _excerpt(head.text) or _excerpt(body.text)


def _excerpt(text: str, limit: int = 80) -> str:
    # first_words counts words; a block without spaces still needs a short name.
    words = first_words(text)
    return words if len(words) <= limit else words[: limit - 1] + "…"
