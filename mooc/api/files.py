"""Files of the API (attachments, videos, certificate PDFs) through short-lived signed
links: an app's player or download manager fetches them without the access token,
and a link copied elsewhere stops working after `API_FILE_URL_SECONDS`.

The link names the file's kind, its id and the user it was made for; the download
checks the user's right again (an enrolment revoked meanwhile ends it) and answers
through core's private-file helper (`private_file_response`: Range, 206, 416).
"""

from __future__ import annotations

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mooc.accounts.models import User
from mooc.api.problems import problem
from mooc.catalog.models import Course
from mooc.certificates.selectors import certificate_for_viewer
from mooc.certificates.services import certificate_file_name, certificate_pdf_bytes
from mooc.core.files import private_file_response
from mooc.exams.selectors.attempts import attempt_question_image_name
from mooc.learning.models import Attachment, Material
from mooc.learning.permissions import can_study
from mooc.learning.selectors import attachment_get_for_study, material_get_for_study

_SALT = "mooc.api.file"
KINDS = ("attachment", "video", "certificate", "question")


def signed_file_url(request: HttpRequest, *, kind: str, object_id: int | str, user: User) -> str:
    """A question's picture is named "<attempt id>-<number>"."""
    assert kind in KINDS
    token = TimestampSigner(salt=_SALT).sign(f"{kind}.{object_id}.{user.pk}")
    return request.build_absolute_uri(reverse("api_file", args=[token]))


def _gone() -> HttpResponse:
    return problem(404, "not_found", _("This link is not valid or has expired."))


def _course_of(material: Material) -> Course:
    return material.section.course


@require_safe
def file_download(request: HttpRequest, token: str) -> HttpResponseBase:
    if len(token) > 200:
        return _gone()
    try:
        value = TimestampSigner(salt=_SALT).unsign(token, max_age=settings.API_FILE_URL_SECONDS)
    except (BadSignature, SignatureExpired):
        return _gone()
    kind, object_id, user_id = value.split(".")
    user = User.objects.filter(pk=int(user_id)).first()
    if user is None or not user.can_log_in:
        return _gone()
    response: HttpResponseBase
    if kind == "question":
        attempt_id, _sep, number = object_id.partition("-")
        name = attempt_question_image_name(
            attempt_id=int(attempt_id), user=user, number=int(number or 0)
        )
        if not name:
            return _gone()
        response = private_file_response(request, name)
    elif kind == "certificate":
        certificate = certificate_for_viewer(certificate_id=int(object_id), user=user)
        version = certificate.current_version if certificate is not None else None
        if certificate is None or version is None or not certificate.number:
            return _gone()
        response = HttpResponse(
            certificate_pdf_bytes(certificate, version), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{certificate_file_name(certificate, version)}"'
        )
    elif kind == "attachment":
        attachment = (
            Attachment.objects.select_related("material__section__course")
            .filter(pk=int(object_id))
            .first()
        )
        if attachment is None or not can_study(user, _course_of(attachment.material)):
            return _gone()
        found = attachment_get_for_study(
            course=_course_of(attachment.material), attachment_id=attachment.pk
        )
        if found is None:
            return _gone()
        name = found.file.name
        response = private_file_response(
            request, name, download_name=name.rsplit("/", 1)[-1], as_attachment=True
        )
    else:
        material = (
            Material.objects.select_related("section__course").filter(pk=int(object_id)).first()
        )
        if material is None or not can_study(user, _course_of(material)):
            return _gone()
        found_material = material_get_for_study(
            course=_course_of(material), material_id=material.pk
        )
        if found_material is None or not found_material.video_file:
            return _gone()
        response = private_file_response(request, found_material.video_file.name)
    patch_cache_control(response, private=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
