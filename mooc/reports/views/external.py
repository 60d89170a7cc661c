"""Admins add training done elsewhere to a learner's JP ledger."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from mooc.core.errors import ServiceError, add_service_error
from mooc.core.files import private_file_response
from mooc.reports.forms import ExternalTrainingForm
from mooc.reports.models import ExternalTraining
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


@require_safe
@login_required
def external_training_evidence(request: HttpRequest, training_id: int) -> HttpResponseBase:
    """The evidence file, for staff who may see the learner (404 for anyone else)."""
    scope = viewer_scope(request)
    training = ExternalTraining.objects.filter(pk=training_id).first()
    if training is None:
        raise Http404
    scope.learner_or_404(training.user_id)
    name = str(training.evidence.name)
    return private_file_response(
        request, name, download_name=name.rsplit("/", 1)[-1], as_attachment=True
    )
