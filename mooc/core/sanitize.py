"""Rich text from admins and importers is cleaned on save with nh3 (Ammonia).

The editor (mooc.core.editor) only produces what this policy keeps; the policy is
still the boundary, for imports and for anyone who posts HTML by hand.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from django.conf import settings
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
    # id="fn:1">`) link to each other by id; `_attribute_filter` drops any other id.
    "sup": {"id"},
    "li": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Pictures come from this site's own uploads only (mooc.authoring's image upload): a
# material's images through the course player's permission-checked view, public ones
# (news, FAQ, course descriptions) from MEDIA_URL. An image elsewhere would tell another
# host who reads what, and could change under the course after review.
_COURSE_IMAGE_SRC = re.compile(r"^/belajar/[-a-zA-Z0-9_]+/gambar/[0-9a-f]{32}\.(?:jpg|png)$")


def image_src_allowed(src: str) -> bool:
    """Is `src` one of our own uploaded images?"""
    media_url = str(settings.MEDIA_URL)
    if _COURSE_IMAGE_SRC.match(src):
        return True
    return bool(media_url) and src.startswith(media_url + "editor/") and ".." not in src


# Markdown footnotes link a reference and its note by these ids; any other id is dropped.
_FOOTNOTE_ID = re.compile(r"^fn(ref)?:[\w-]{1,40}$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not image_src_allowed(value):
        return None
    if attribute == "id":
        return value if _FOOTNOTE_ID.match(value) else None
    return value


# nh3 writes normalised HTML, so an <img> whose src the filter took is found by its shape.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def sanitize_html(html: str) -> str:
    """Keep formatting, drop scripts, event handlers, styles, javascript: URLs and
    images from anywhere but our own uploads."""
    if not html:
        return ""
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_attribute_filter,
    )
    return _IMG_WITHOUT_SRC.sub("", clean)


def is_blank_html(html: str) -> bool:
    """True for what an emptied editor leaves behind (`<p></p>`)."""
    return not nh3.clean(html or "", tags=set()).strip() and "<img" not in (html or "")


class RichTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField whose HTML is sanitized every time the model is saved.

    `editor` gives its forms the rich-text editor (mooc.core.editor): "public" for text
    anyone may read (its pictures go to public media), "course" for a course's
    materials (their pictures stay private; the admin gives the course's upload URL).
    It changes nothing in the database, so it is left out of migrations.
    """

    def __init__(self, *args: Any, editor: str = "", **kwargs: Any) -> None:
        self.editor = editor
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        if self.editor:
            from mooc.core.editor import RichTextFormField, RichTextWidget, public_upload_url

            upload_url = public_upload_url() if self.editor == "public" else ""
            kwargs = {
                **kwargs,
                "form_class": RichTextFormField,
                "widget": RichTextWidget(upload_url=upload_url),
            }
        return super().formfield(**kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname) or ""
        clean = sanitize_html(value)
        setattr(model_instance, self.attname, clean)
        return clean
