"""Forms look and behave the same everywhere: Bootstrap classes on every widget,
and one field template with label, help text and errors tied to the input for
screen readers (Django sets aria-describedby and aria-invalid)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


class StyledBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        classes = [attrs.get("class", ""), widget.attrs.get("class", ""), _css_class(widget)]
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(sorted({c for c in " ".join(classes).split() if c}))
        return attrs


class FormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"
    bound_field_class = StyledBoundField
