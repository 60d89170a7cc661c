"""The SIASN course-history export page: take a batch, download it again, push it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mooc.core.errors import ServiceError
from mooc.reports.forms import SiasnExportForm
from mooc.reports.models import SiasnBatch
from mooc.reports.selectors.siasn import siasn_batch_rows, siasn_batches
from mooc.reports.services.siasn import (
    SIASN_FORMATS,
    siasn_batch_create,
    siasn_batch_push,
    siasn_file_write,
    siasn_push_enabled,
)
from mooc.reports.views.common import file_download, viewer_scope
from mooc.reports.views.exports import _user


def _batch_or_404(request: HttpRequest, batch_id: int) -> SiasnBatch:
    scope = viewer_scope(request)
    scope.require_units()
    batch = siasn_batches(scope=scope).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def siasn(request: HttpRequest) -> HttpResponse:
    scope = viewer_scope(request)
    scope.require_units()
    form = SiasnExportForm(request.POST if request.method == "POST" else None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = siasn_batch_create(
            scope=scope,
            actor=_user(request),
            date_from=data["date_from"],
            date_to=data["date_to"],
            unit=data["unit"],
            only_new=data["only_new"],
            request=request,
        )
        return redirect("reports:siasn_download", batch_id=batch.pk, fmt=data["fmt"])
    batches = list(siasn_batches(scope=scope)[:30])
    context = {"form": form, "batches": batches, "push_enabled": siasn_push_enabled()}
    return render(request, "reports/siasn.html", context)


@require_safe
@login_required
def siasn_download(request: HttpRequest, batch_id: int, fmt: str) -> HttpResponseBase:
    batch = _batch_or_404(request, batch_id)
    if fmt not in SIASN_FORMATS:
        raise Http404
    rows = siasn_batch_rows(batch)
    return file_download(
        lambda handle: siasn_file_write(rows, fmt, handle),
        filename=f"siasn-riwayat-kursus-{batch.created_at:%Y%m%d}-{batch.pk}.{fmt}",
        content_type=SIASN_FORMATS[fmt],
    )


@require_POST
@login_required
def siasn_push(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    try:
        sent = siasn_batch_push(batch=batch, actor=_user(request), request=request)
    except ServiceError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(sent)s rows sent to SIASN.") % {"sent": sent})
    return redirect("reports:siasn")
