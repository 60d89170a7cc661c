"""The learner's own side: "Riwayat JP" and their SIASN rows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mooc.reports.selectors.ledger import learner_ledger
from mooc.reports.selectors.siasn import siasn_of_learner
from mooc.reports.services.siasn import SIASN_FORMATS, siasn_file_write
from mooc.reports.views.common import file_download
from mooc.reports.views.exports import _user


@require_safe
@login_required
def my_jp(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {"years": learner_ledger(user=user), "has_nip": user.is_internal}
    return render(request, "reports/my_jp.html", context)


@require_safe
@login_required
def my_siasn(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("xlsx", "csv"):
        raise Http404
    rows = siasn_of_learner(_user(request))
    return file_download(
        lambda handle: siasn_file_write(rows, fmt, handle),
        filename=f"riwayat-kursus-saya.{fmt}",
        content_type=SIASN_FORMATS[fmt],
    )
