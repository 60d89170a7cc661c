"""What the question-file parsers (GIFT, Aiken) produce: plain data, no models.

A parser never raises on bad input: every question it cannot take becomes an
issue naming its line, so an import can report "imported / skipped / failed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

QuestionType = Literal["single", "multiple", "truefalse"]
IssueKind = Literal["skipped", "failed"]


@dataclass(frozen=True)
class ParsedOption:
    text: str  # HTML
    weight: Decimal  # percent of the question's points, -100..100
    feedback: str = ""  # HTML


@dataclass(frozen=True)
class ParsedQuestion:
    line: int  # 1-based line where the question starts
    qtype: QuestionType
    text: str  # HTML (plain and markdown sources are converted)
    options: tuple[ParsedOption, ...]
    title: str = ""  # GIFT ::title::, the question's stable id when present
    category: str = ""  # GIFT $CATEGORY: path, "" for none
    general_feedback: str = ""  # HTML

    @property
    def name(self) -> str:
        """How a report names the question: its title, or its first words."""
        return self.title or first_words(self.text)


@dataclass(frozen=True)
class ParseIssue:
    line: int
    kind: IssueKind  # skipped: a type we don't support; failed: malformed
    name: str  # GIFT title or the first words of the question
    reason: str  # for the user, already translated (gettext)


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)


def first_words(html_or_text: str, count: int = 8) -> str:
    import re

    text = re.sub(r"<[^>]+>", " ", html_or_text)
    words = text.split()
    short = " ".join(words[:count])
    return short + ("…" if len(words) > count else "")
