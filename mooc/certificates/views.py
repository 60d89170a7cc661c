"""The learner's certificate pages and the public verification page.

- A certificate page or PDF is shown to its holder and the course's staff; to anyone
  else it answers 404, as for a certificate that does not exist.
- Verification needs the unguessable code (the QR code's link), or the number together
  with the holder's name; it is rate-limited per client address and shows no more than
  name, course, JP, date and the NIP's last four digits.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mooc.accounts.models import User
from mooc.certificates.forms import VerifyCodeForm, VerifyNumberForm
from mooc.certificates.models import Certificate
from mooc.certificates.selectors import (
    certificate_by_code,
    certificate_by_number_and_name,
    certificate_for_viewer,
    certificate_of_user_for_course,
    certificate_versions,
    certificates_of_user,
    mask_identity,
)
from mooc.certificates.services import (
    certificate_complete,
    certificate_file_name,
    certificate_pdf_bytes,
    code_normalise,
    verification_url,
)
from mooc.core.net import client_ip_key
from mooc.core.ratelimit import ratelimit_hit
from mooc.evaluation.selectors import evaluation_blocks_certificate

# Lookups per client address and window: plenty for people checking certificates,
# far too few for walking the space of numbers and names.
VERIFY_LIMIT = 30
VERIFY_WINDOW = 60


@require_safe
@never_cache
@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    certificates = [
        certificate
        if certificate.current_version is not None
        else certificate_complete(certificate.pk)  # just passed: finish it now
        for certificate in certificates_of_user(user=request.user)
    ]
    return render(request, "certificates/list.html", {"certificates": certificates})


def _evaluation_first(request: HttpRequest, certificate: Certificate) -> HttpResponse | None:
    """The holder of a certificate whose course requires its evaluation first is sent
    to it (the "Selesai" path: pass → evaluation → certificate); staff are not."""
    user = request.user
    if certificate.user_id != user.pk or not isinstance(user, User):
        return None
    if evaluation_blocks_certificate(user=user, course_id=certificate.course_id):
        messages.info(
            request, _("Please fill in the evaluation first: then your certificate downloads.")
        )
        return redirect("evaluation:form", slug=certificate.course.slug)
    return None


def _viewable(request: HttpRequest, certificate_id: int) -> Certificate:
    certificate = certificate_for_viewer(certificate_id=certificate_id, user=request.user)
    if certificate is None:
        raise Http404
    if certificate.current_version is None or certificate.number is None:
        # Opened right after passing, before the background finished it: finish it now.
        certificate = certificate_complete(certificate.pk)
    if certificate.current_version is None:
        raise Http404
    return certificate


@require_safe
@never_cache
@login_required
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = _viewable(request, certificate_id)
    if gate := _evaluation_first(request, certificate):
        return gate
    is_holder = certificate.user_id == request.user.pk
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "version": certificate.current_version,
            "versions": certificate_versions(certificate=certificate) if not is_holder else [],
            "verification_url": verification_url(certificate.code),
            "is_holder": is_holder,
        },
    )


@require_safe
@never_cache
@login_required
def certificate_for_course(request: HttpRequest, slug: str) -> HttpResponse:
    certificate = certificate_of_user_for_course(user=request.user, course_slug=slug)
    if certificate is None:
        raise Http404
    if gate := _evaluation_first(request, certificate):
        return gate
    return redirect("certificates:detail", certificate_id=certificate.pk)


@require_safe
@never_cache
@login_required
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = _viewable(request, certificate_id)
    if gate := _evaluation_first(request, certificate):
        return gate
    version = certificate.current_version
    assert version is not None
    wanted = request.GET.get("versi", "")
    if wanted:
        # Earlier versions are for the course's staff and admins; the holder gets the current one.
        if not wanted.isdigit() or certificate.user_id == request.user.pk:
            raise Http404
        version = certificate.versions.filter(version=int(wanted)).first()
        if version is None:
            raise Http404
    if not certificate.number:
        # Numbered a moment after the grade; the page says so and offers a retry.
        return redirect("certificates:detail", certificate_id=certificate.pk)
    data = certificate_pdf_bytes(certificate, version)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate_file_name(certificate, version)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public verification ------------------------------------------------------------------------


def _limited(request: HttpRequest) -> HttpResponse | None:
    limit = ratelimit_hit(
        "certificate-verify", client_ip_key(request), limit=VERIFY_LIMIT, window=VERIFY_WINDOW
    )
    if limit.allowed:
        return None
    response = render(
        request,
        "certificates/verify.html",
        {
            "code_form": VerifyCodeForm(),
            "number_form": VerifyNumberForm(),
            "too_many": True,
            "retry_after": limit.retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(limit.retry_after)
    return response


def _result_context(certificate: Certificate | None) -> dict[str, Any]:
    if certificate is None or certificate.current_version is None:
        return {"found": False}
    version = certificate.current_version
    return {
        "found": True,
        "certificate": certificate,
        "version": version,
        "masked_id": mask_identity(version.holder_id),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The form: a code (GET, then the code's own page) or a number with the name (POST,
    so the name never sits in a URL or a log)."""
    code_form = VerifyCodeForm(request.GET or None)
    number_form = VerifyNumberForm(request.POST or None)
    context: dict[str, Any] = {"code_form": code_form, "number_form": number_form}
    if request.method == "POST":
        limited = _limited(request)
        if limited is not None:
            return limited
        if number_form.is_valid():
            certificate = certificate_by_number_and_name(
                number_form.cleaned_data["number"], number_form.cleaned_data["name"]
            )
            context.update(_result_context(certificate), searched=True)
    elif "code" in request.GET and code_form.is_valid():
        return redirect("certificates:verify", code=code_form.cleaned_data["code"])
    return render(request, "certificates/verify.html", context)


@require_safe
@never_cache
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    limited = _limited(request)
    if limited is not None:
        return limited
    normalised = code_normalise(code)
    if normalised != code:
        return redirect("certificates:verify", code=normalised)
    context = _result_context(certificate_by_code(normalised))
    context.update(
        searched=True,
        code_form=VerifyCodeForm(initial={"code": code}),
        number_form=VerifyNumberForm(),
        title=_("Certificate verification"),
    )
    return render(
        request, "certificates/verify.html", context, status=200 if context["found"] else 404
    )
