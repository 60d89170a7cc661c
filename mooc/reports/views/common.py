from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest

from mooc.reports.forms import ReportFilterForm
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.scope import Scope, scope_for

PAGE_SIZE = 50


def viewer_scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.sees_anything:
        raise PermissionDenied
    return scope


def filters_from(
    request: HttpRequest, scope: Scope, *fields: str
) -> tuple[ReportFilterForm, ReportFilter]:
    form = ReportFilterForm(request.GET, scope=scope, fields=fields)
    return form, form.report_filter()


def page_context(
    request: HttpRequest, form: ReportFilterForm, filters: ReportFilter, **extra: Any
) -> dict[str, Any]:
    scope = filters.scope
    return {
        "form": form,
        "filters": filters,
        "scope": scope,
        "params": filters.as_params(),
        **extra,
    }


def file_download(
    write: Callable[[IO[bytes]], None], *, filename: str, content_type: str
) -> FileResponse:
    """A file written to a temporary file on disk (not memory), then streamed from it."""
    # FileResponse closes the file when the response is done, which deletes it.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=content_type)
