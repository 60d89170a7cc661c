"""Helpers for the admin's own pages (a reason form, an import, an export)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern

# Pages another app adds to a model's admin, by model label: the course packages'
# upload and download live in the course admin, yet catalog does not import packages.
_EXTRA_URLS: dict[str, list[Callable[[Any], list[URLPattern]]]] = {}


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


def admin_urls_add(model: type[Model], urls: Callable[[Any], list[URLPattern]]) -> None:
    """Add the pages `urls(model_admin)` returns to `model`'s admin; call it from the
    adding app's admin module (autodiscovered before the URLs are built)."""
    _EXTRA_URLS.setdefault(model._meta.label, []).append(urls)


def admin_urls_extra(model_admin: admin.ModelAdmin[Any]) -> list[URLPattern]:
    """The pages other apps added to `model_admin`'s model (for its `get_urls`)."""
    added = _EXTRA_URLS.get(model_admin.model._meta.label, [])
    return [pattern for urls in added for pattern in urls(model_admin)]
