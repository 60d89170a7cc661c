"""The learner's "Data pribadi" page: download a copy of their data, ask for deletion."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mooc.accounts.models import User
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.files import private_file_response
from mooc.core.services import audit_log_record
from mooc.privacy.forms import DeletionRequestForm
from mooc.privacy.selectors import data_exports_of, deletion_request_pending
from mooc.privacy.services.deletion import (
    deletion_request_cancel,
    deletion_request_create,
    is_staff_account,
)
from mooc.privacy.services.export import (
    data_export_file_name,
    data_export_for_owner,
    data_export_request,
)


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _page(
    request: HttpRequest, form: DeletionRequestForm | None = None, status: int = 200
) -> HttpResponse:
    user = _me(request)
    return render(
        request,
        "privacy/personal_data.html",
        {
            "exports": data_exports_of(user),
            "pending": deletion_request_pending(user),
            "is_staff_account": is_staff_account(user),
            "form": form or DeletionRequestForm(),
            "export_days": settings.DATA_EXPORT_DAYS,
        },
        status=status,
    )


@require_safe
@never_cache
@login_required
def personal_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
def export_request(request: HttpRequest) -> HttpResponse:
    try:
        export = data_export_request(user=_me(request), request=request)
    except ServiceError as error:
        messages.error(request, str(error.message))
    else:
        export.refresh_from_db()  # without a broker the task has run already
        if export.is_downloadable:
            messages.success(request, _("Your data is ready: download it below."))
        else:
            messages.success(
                request,
                _("We are preparing your data. When it is ready, the download appears below."),
            )
    return redirect("privacy:personal_data")


@require_safe
@never_cache
@login_required
def export_download(request: HttpRequest, export_id: int) -> HttpResponseBase:
    """Only the owner, only while it has not expired: anyone else gets 404."""
    user = _me(request)
    export = data_export_for_owner(user=user, export_id=export_id)
    if export is None:
        raise Http404
    audit_log_record(
        actor=user,
        action="privacy.export_downloaded",
        target=user,
        after={"export": export.pk},
        request=request,
    )
    response = private_file_response(
        request,
        str(export.file.name),
        download_name=data_export_file_name(export),
        as_attachment=True,
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
@sensitive_post_parameters("password")
@login_required
def deletion_request(request: HttpRequest) -> HttpResponse:
    form = DeletionRequestForm(request.POST)
    if form.is_valid():
        try:
            deletion_request_create(
                user=_me(request), password=form.cleaned_data["password"], request=request
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request to delete your account has been sent. An admin will decide "
                    "on it; we will tell you by e-mail."
                ),
            )
            return redirect("privacy:personal_data")
    return _page(request, form, status=400)


@require_POST
@login_required
def deletion_cancel(request: HttpRequest) -> HttpResponse:
    try:
        deletion_request_cancel(user=_me(request), request=request)
    except ServiceError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your request to delete your account has been withdrawn."))
    return redirect("privacy:personal_data")
