"""/api/v1/: the API's operations, its schema and docs, and the signed file links.

Every operation refuses a body above `MAX_BODY_BYTES` before reading it (413)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

from mooc.api.api import api
from mooc.api.files import file_download
from mooc.api.problems import problem

MAX_BODY_BYTES = 64 * 1024


def _body_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return problem(413, "too_large", _("The request body is too large."))
        return view(request, *args, **kwargs)

    return wrapper


def _limited(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _body_limited(pattern.callback)
    return patterns


_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("berkas/<str:token>/", file_download, name="api_file"),
    path("", (_limited(_patterns), _app_name, _namespace)),  # type: ignore[arg-type]
]
