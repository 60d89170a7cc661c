"""Admins add training done elsewhere to a learner's JP ledger."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mooc.core.errors import ServiceError, add_service_error
from mooc.reports.forms import ExternalTrainingForm
from mooc.reports.services.external_training import ExternalTrainingInput, external_training_add
from mooc.reports.views.common import viewer_scope
from mooc.reports.views.exports import _user


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def external_training_new(request: HttpRequest, user_id: int) -> HttpResponse:
    scope = viewer_scope(request)
    learner = scope.learner_or_404(user_id)
    if not scope.is_admin:
        raise PermissionDenied
    form = ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            external_training_add(
                user=learner,
                data=ExternalTrainingInput(**form.cleaned_data),
                actor=_user(request),
                request=request,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The training was added to the JP ledger."))
            return redirect("reports:learner", user_id=learner.pk)
    return render(
        request, "reports/external_training_form.html", {"form": form, "learner": learner}
    )
