from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

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
