"""Catalogue pieces that other apps' templates show: the home page's course list."""

from __future__ import annotations

from typing import Any

from django import template

from mooc.catalog import selectors

register = template.Library()

HIGHLIGHTS_COUNT = 6


@register.inclusion_tag("catalog/_highlights.html", takes_context=True)
def catalogue_highlights(
    context: template.Context, limit: int = HIGHLIGHTS_COUNT
) -> dict[str, Any]:
    """`{% catalogue_highlights %}`: the newest published courses that are not over."""
    return {
        "courses": selectors.course_highlights(limit=limit),
        "vocab": context.get("vocab"),
        "request": context.get("request"),
        "user": context.get("user"),
    }
