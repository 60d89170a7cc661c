"""Parsed questions back to GIFT, so that parse_gift reads the same questions again.

Every text is written as [html] (texts are HTML by the time they are parsed)
with each GIFT special character escaped, all on one line: a line break
becomes `\\n`, so no text can start a comment or end a question early.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from mooc.exams.formats import ParsedOption, ParsedQuestion

_SPECIAL = re.compile(r"[\\#=~{}:\n]")


def to_gift(questions: Iterable[ParsedQuestion]) -> str:
    chunks: list[str] = []
    category = ""
    for question in questions:
        if question.category != category:
            category = question.category
            # A category is one line in GIFT: a line break inside it can't be kept.
            chunks.append(f"$CATEGORY: {_one_line(category)}".rstrip())
        chunks.append(_question(question))
    return "".join(f"{chunk}\n\n" for chunk in chunks)


def _question(question: ParsedQuestion) -> str:
    head = f"::{_escape(question.title)}::" if question.title else ""
    head += f"[html]{_escape(question.text)}"
    general = f"####{_text(question.general_feedback)}" if question.general_feedback else ""
    if question.qtype == "truefalse":
        return f"{head}{{{_true_false(question.options)}{general}}}"
    lines = [f"{head}{{"]
    lines += [f"\t{_choice(option, question.qtype)}" for option in question.options]
    if general:
        lines.append(f"\t{general}")
    lines.append("}")
    return "\n".join(lines)


def _choice(option: ParsedOption, qtype: str) -> str:
    if qtype == "single" and option.weight == 100:
        marker = "="
    elif option.weight == 0:
        marker = "~"
    else:
        marker = f"~%{_number(option.weight)}%"
    if option.text.startswith("%") and "%" not in marker:
        # Written bare, "%50%…" would be read as a weight.
        marker = "=%100%" if marker == "=" else "~%0%"
    feedback = f"#{_text(option.feedback)}" if option.feedback else ""
    return f"{marker}{_text(option.text)}{feedback}"


def _true_false(options: tuple[ParsedOption, ...]) -> str:
    """{T#feedback when answered wrong#feedback when answered right}."""
    true_option, false_option = _true_then_false(options)
    if true_option.weight > 0:
        answer, right, wrong = "T", true_option.feedback, false_option.feedback
    else:
        answer, right, wrong = "F", false_option.feedback, true_option.feedback
    if wrong or right:
        answer += f"#{_text(wrong)}"
    if right:
        answer += f"#{_text(right)}"
    return answer


def _true_then_false(options: tuple[ParsedOption, ...]) -> tuple[ParsedOption, ParsedOption]:
    """parse_gift gives (True, False); a bank authored by hand may have them swapped."""
    first, second = (options + (ParsedOption("", Decimal(0)),) * 2)[:2]
    true_labels = {"true", "benar", _("True").casefold()}
    if _label(second) in true_labels and _label(first) not in true_labels:
        return second, first
    return first, second


def _label(option: ParsedOption) -> str:
    return re.sub(r"<[^>]+>", "", option.text).strip().casefold()


def _text(html: str) -> str:
    # Options and feedback inherit [html] from the question text; only a text
    # that itself starts with "[" needs it again, or "[plain]…" would be a format.
    return ("[html]" if html.startswith("[") else "") + _escape(html)


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SPECIAL.sub(lambda match: "\\n" if match[0] == "\n" else "\\" + match[0], text)


def _one_line(text: str) -> str:
    return " ".join(text.replace("\r", "\n").split("\n"))


def _number(weight: Decimal) -> str:
    """Exact, without exponent or trailing zeros: 50, -33.33333, 12.5."""
    return "0" if weight == 0 else format(weight.normalize(), "f")
