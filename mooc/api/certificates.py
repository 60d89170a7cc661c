"""Certificates: list, detail, PDF (a signed link), and the public verification."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mooc.api.auth import me
from mooc.api.files import signed_file_url
from mooc.api.problems import COMMON, ApiProblem, Problem, not_found
from mooc.certificates.models import Certificate
from mooc.certificates.selectors import (
    certificate_by_code,
    certificate_for_viewer,
    certificates_of_user,
    mask_identity,
)
from mooc.certificates.services import certificate_complete, code_normalise, verification_url
from mooc.core.net import client_ip_key
from mooc.core.ratelimit import ratelimit_hit

router = Router(tags=["certificates"])

# As the web's verification page: plenty for people, too few for walking the codes.
VERIFY_LIMIT = 30
VERIFY_WINDOW = 60


class CertificateOut(Schema):
    id: int
    number: str | None
    code: str
    state: str
    course: str
    course_title: str
    holder_name: str | None
    jp: int | None
    passed_on: str | None
    score: str | None
    verification_url: str


def _complete(certificate: Certificate) -> Certificate:
    if certificate.current_version is None or certificate.number is None:
        return certificate_complete(certificate.pk)  # just passed: finish it now
    return certificate


def _out(certificate: Certificate) -> CertificateOut:
    version = certificate.current_version
    return CertificateOut(
        id=certificate.pk,
        number=certificate.number,
        code=certificate.code,
        state=certificate.state,
        course=certificate.course.slug,
        course_title=version.course_title if version else certificate.course.title,
        holder_name=version.holder_name if version else None,
        jp=version.jp if version else None,
        passed_on=version.passed_on.isoformat() if version else None,
        score=str(version.score) if version and version.score is not None else None,
        verification_url=verification_url(certificate.code),
    )


@router.get(
    "/me/certificates/", response={200: list[CertificateOut], **COMMON}, summary="My certificates"
)
def certificate_list(request: HttpRequest) -> list[CertificateOut]:
    return [_out(_complete(c)) for c in certificates_of_user(user=me(request))]


def _mine(request: HttpRequest, certificate_id: int) -> Certificate:
    user = me(request)
    certificate = certificate_for_viewer(certificate_id=certificate_id, user=user)
    if certificate is None or certificate.user_id != user.pk:
        raise not_found()
    certificate = _complete(certificate)
    if certificate.current_version is None:
        raise not_found()
    return certificate


@router.get(
    "/me/certificates/{certificate_id}/",
    response={200: CertificateOut, **COMMON},
    summary="One of my certificates",
)
def certificate_detail(request: HttpRequest, certificate_id: int) -> CertificateOut:
    return _out(_mine(request, certificate_id))


class FileLink(Schema):
    url: str
    expires_in: int


@router.get(
    "/me/certificates/{certificate_id}/pdf/",
    response={200: FileLink, 409: Problem, **COMMON},
    summary="A short-lived link to the certificate's PDF",
)
def certificate_pdf(request: HttpRequest, certificate_id: int) -> FileLink:
    certificate = _mine(request, certificate_id)
    if not certificate.number:
        raise ApiProblem(
            409, "not_numbered", _("The certificate is being numbered. Try again in a moment.")
        )
    return FileLink(
        url=signed_file_url(
            request, kind="certificate", object_id=certificate.pk, user=me(request)
        ),
        expires_in=settings.API_FILE_URL_SECONDS,
    )


class VerificationOut(Schema):
    found: bool
    number: str | None = None
    state: str | None = None
    holder_name: str | None = None
    holder_id: str | None = None
    course_title: str | None = None
    jp: int | None = None
    passed_on: str | None = None


@router.get(
    "/verify/{code}/",
    auth=None,
    response={200: VerificationOut, **COMMON},
    summary="Public verification by the certificate's code",
)
def verify(request: HttpRequest, code: str) -> VerificationOut:
    limit = ratelimit_hit(
        "certificate-verify", client_ip_key(request), limit=VERIFY_LIMIT, window=VERIFY_WINDOW
    )
    if not limit.allowed:
        raise ApiProblem(
            429,
            "throttled",
            _("Too many requests. Please try again later."),
            headers={"Retry-After": str(limit.retry_after)},
        )
    certificate = certificate_by_code(code_normalise(code[:64]))
    version = certificate.current_version if certificate is not None else None
    if certificate is None or version is None:
        return VerificationOut(found=False)
    return VerificationOut(
        found=True,
        number=certificate.number,
        state=certificate.state,
        holder_name=version.holder_name,
        holder_id=mask_identity(version.holder_id),
        course_title=version.course_title,
        jp=version.jp,
        passed_on=version.passed_on.isoformat(),
    )
