"""Downloads of every report (CSV, XLSX), and the background ones' progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from mooc.accounts.models import User
from mooc.core.files import private_file_response
from mooc.core.services import audit_log_record
from mooc.reports.models import ExportState, ReportExport
from mooc.reports.services.exports import (
    FORMATS,
    REPORT_NAMES,
    csv_stream,
    export_start,
    is_big,
    table_for,
    table_rows,
    xlsx_write,
)
from mooc.reports.views.common import file_download, viewer_scope


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_safe
@login_required
def export(request: HttpRequest, report: str, fmt: str) -> HttpResponseBase:
    viewer_scope(request)
    if report not in REPORT_NAMES or fmt not in FORMATS:
        raise Http404
    user = _user(request)
    table = table_for(report=report, params=request.GET, user=user)
    if is_big(table):
        job = export_start(
            report=report, fmt=fmt, params=request.GET.dict(), user=user, request=request
        )
        return redirect("reports:export_status", export_id=job.pk)
    audit_log_record(
        actor=user,
        action="reports.export",
        after={"report": report, "format": fmt, "filters": request.GET.dict(), "rows": table.count},
        request=request,
    )
    name = f"{table.name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(table_rows(table)), content_type=FORMATS[fmt])
        response["Content-Disposition"] = content_disposition_header(True, name) or ""
        return response
    return file_download(
        lambda handle: xlsx_write(table_rows(table), handle),
        filename=name,
        content_type=FORMATS[fmt],
    )


def _own_export(request: HttpRequest, export_id: int) -> ReportExport:
    return get_object_or_404(ReportExport, pk=export_id, requested_by=request.user)


@require_safe
@login_required
def export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    viewer_scope(request)
    job = _own_export(request, export_id)
    partial = request.headers.get("HX-Request") == "true"
    template = "reports/includes/export_progress.html" if partial else "reports/export_status.html"
    return render(request, template, {"job": job, "ExportState": ExportState})


@require_safe
@login_required
def export_download(request: HttpRequest, export_id: int) -> HttpResponseBase:
    viewer_scope(request)
    job = _own_export(request, export_id)
    if job.state != ExportState.DONE or not job.file:
        raise Http404
    name = str(job.file.name).rsplit("/", 1)[-1]
    return private_file_response(
        request, str(job.file.name), download_name=name, as_attachment=True
    )
