"""Helpers for the admin's own pages (a reason form, an import, an export)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse


def admin_page(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, template: str, **context: Any
) -> TemplateResponse:
    """A page inside `model_admin`: the admin site's context, `opts`, then `context`."""
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **context},
    )
