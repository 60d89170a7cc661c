"""Rich text from admins and importers is cleaned on save with nh3 (Ammonia)."""

from __future__ import annotations

import re
from typing import Any

import nh3
from django.db import models

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
    # Markdown footnotes: the reference (`<sup id="fnref:1">`) and its note (`<li
    # id="fn:1">`) link to each other by id; `_attribute_keep` drops any other id.
    "sup": {"id"},
    "li": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_FOOTNOTE_ID = re.compile(r"^fn(ref)?:[\w-]{1,40}$")


def _attribute_keep(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _FOOTNOTE_ID.match(value) else None
    return value


def sanitize_html(html: str) -> str:
    """Keep formatting, drop scripts, event handlers, styles and javascript: URLs."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_attribute_keep,
    )


class RichTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField whose HTML is sanitized every time the model is saved."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname) or ""
        clean = sanitize_html(value)
        setattr(model_instance, self.attname, clean)
        return clean
