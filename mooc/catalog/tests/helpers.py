"""Helpers for the catalog admin tests that are not model factories."""

from __future__ import annotations

from typing import Any

from django.core.files import File


def form_data(response: Any) -> dict[str, Any]:
    """What the browser would send back for an admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or isinstance(value, File) or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)
    return data
