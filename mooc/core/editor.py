"""The rich-text editor of materials, course descriptions, news and FAQ answers.

django-prose-editor ships Tiptap/ProseMirror as one prebuilt ES module in its wheel (no
CDN, no front-end build); `static/js/rich-editor.js` starts it on every textarea this
widget renders, with only the nodes and marks that `mooc.core.sanitize` keeps: headings,
paragraphs, lists, links, tables, bold/italic/underline, blockquotes, images. ProseMirror
parses whatever is pasted (Word, a web page) into that schema, so styles, classes, fonts
and `data:` images are dropped in the browser already; nh3 cleans again on save.

Why this editor and not another: docs/authoring.md.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mooc.core.sanitize import is_blank_html, sanitize_html

# A long reading is ~50,000 characters of HTML; ten times that is a paste gone wrong
# (a whole Word file with its markup), and would slow every page that shows it.
RICH_TEXT_MAX_CHARS = 500_000
# The upload views live in mooc.authoring (above core); core knows only their names.
PUBLIC_IMAGE_UPLOAD_URL_NAME = "admin:catalog_course_editor_public_image"


def public_upload_url() -> Promise:
    return reverse_lazy(PUBLIC_IMAGE_UPLOAD_URL_NAME)


class RichTextWidget(forms.Textarea):
    """A textarea that rich-editor.js turns into the editor; without JavaScript it stays
    a textarea of HTML, and says so.

    `upload_url` is where the editor's "Insert image" button posts a picture (an
    authoring view that checks, re-encodes and stores it); without one the button is not
    offered.
    """

    template_name = "includes/widgets/rich_text.html"

    def __init__(self, attrs: dict[str, Any] | None = None, upload_url: str | Promise = "") -> None:
        super().__init__({"rows": 12, "cols": 80, **(attrs or {})})
        self.upload_url = upload_url

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "css/rich-editor.css",
                ]
            },
            # A module: it imports the editor from django-prose-editor's static files.
            js=[forms.Script("js/rich-editor.js", type="module")],  # type: ignore[list-item]
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {**(attrs or {}), "data-rich-editor": "1"}
        if self.upload_url:
            attrs["data-image-upload-url"] = str(self.upload_url)
        return super().get_context(name, value, attrs)

    def use_required_attribute(self, initial: Any) -> bool:
        # The textarea is hidden behind the editor: a browser could not point at it.
        return False


class RichTextFormField(forms.CharField):
    widget = RichTextWidget
    default_error_messages = {
        "too_long": _(
            "The text is too long: %(length)s characters of HTML, at most %(limit)s. "
            "Split it into two materials, or paste it again without its formatting."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        if not isinstance(kwargs.get("widget"), RichTextWidget):
            kwargs["widget"] = RichTextWidget()
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        if value and len(value) > RICH_TEXT_MAX_CHARS:
            raise ValidationError(
                self.error_messages["too_long"],
                code="too_long",
                params={"length": f"{len(value):,}", "limit": f"{RICH_TEXT_MAX_CHARS:,}"},
            )
        cleaned = super().clean(value)
        # What an emptied editor leaves (`<p></p>`) is no text.
        cleaned_html = sanitize_html(cleaned) if cleaned else ""
        if cleaned and is_blank_html(cleaned_html):
            cleaned = ""
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
        return cleaned


def rich_text_upload_url_set(form: forms.BaseForm, url: str) -> None:
    """Give every rich-text field of `form` an image upload URL."""
    for field in form.fields.values():
        if isinstance(field.widget, RichTextWidget):
            field.widget.upload_url = url
