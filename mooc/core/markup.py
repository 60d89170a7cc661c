"""Markdown rendered within bounds.

Python-Markdown parses nested lists and quotes recursively: a question file with a
list nested 2,000 levels deep took 29 s of CPU and then raised RecursionError
(issue 14, F5). Importers render Markdown through `markdown_render`, which refuses
text nested deeper than people write or longer than the caller allows, before
Markdown sees it, and turns a RecursionError into the same refusal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import markdown  # type: ignore[import-untyped]
from django.utils.translation import gettext as _

# Lists and quotes nested deeper than this are refused. Python-Markdown needs four
# spaces (or one `>`) per level and recursed out at about 400 levels, taking a second.
MAX_MARKDOWN_DEPTH = 32
_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)+")
_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")


class MarkdownTooComplex(ValueError):
    """The text cannot be rendered safely; the message says why, for a report."""


def markdown_depth(text: str) -> int:
    """The deepest nesting any line of `text` could open: its indentation in steps of
    four columns plus the list and quote markers it starts with."""
    deepest = 0
    for line in text.split("\n"):
        expanded = line.expandtabs(4)
        content = expanded.lstrip(" ")
        depth = (len(expanded) - len(content)) // 4
        prefix = _MARKERS.match(content)
        if prefix:
            depth += len(_MARKER.findall(prefix.group(0)))
        deepest = max(deepest, depth)
    return deepest


def markdown_render(
    text: str,
    *,
    extensions: Sequence[str] = (),
    extension_configs: dict[str, Any] | None = None,
    max_chars: int | None = None,
) -> str:
    """`markdown.markdown(text)`, or MarkdownTooComplex."""
    if max_chars is not None and len(text) > max_chars:
        raise MarkdownTooComplex(
            _("The Markdown text is too long: at most %(max)s characters.") % {"max": max_chars}
        )
    too_deep = MarkdownTooComplex(
        _("The Markdown text is nested too deeply: at most %(max)s levels of lists or quotes.")
        % {"max": MAX_MARKDOWN_DEPTH}
    )
    if markdown_depth(text) > MAX_MARKDOWN_DEPTH:
        raise too_deep
    try:
        return str(
            markdown.markdown(
                text, extensions=list(extensions), extension_configs=extension_configs or {}
            )
        )
    except RecursionError:
        raise too_deep from None
