"""The question grid of the exam pages, built in Python: it is on every question page
and twenty template-loop iterations cost more than the rest of the page on exam day."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def exam_grid_items(grid: Sequence[Any], url_prefix: str, current: int) -> SafeString:
    """One <li> per question: a link, green when the server holds an answer, the
    current question marked for assistive technology and the focus ring."""
    answered = f" ({gettext('answered')})"
    unanswered = f" ({gettext('not answered')})"
    return format_html_join(
        "\n",
        '<li><a href="{}{}/" class="btn btn-sm exam-grid-item {}" data-grid-number="{}"{}>'
        '{}<span class="visually-hidden" data-grid-label>{}</span></a></li>',
        (
            (
                url_prefix,
                item.number,
                "btn-success is-answered" if item.answered else "btn-outline-secondary",
                item.number,
                mark_safe(' aria-current="page"') if item.number == current else "",
                item.number,
                answered if item.answered else unanswered,
            )
            for item in grid
        ),
    )
