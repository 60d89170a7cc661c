"""`{{ params|query }}`: a report's filters as a query string, for its download links.

Django's `urlencode` filter quotes a string; given the dict of parameters it quoted its
repr, so the exports of one course or learner lost their `id` and answered 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def query(params: dict[str, str]) -> str:
    return urlencode(params)
